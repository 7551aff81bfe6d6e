package programs

import "fmt"

// OtherAcct is the (made-up) production account a cross-account role should trust.
const OtherAcct = "418295710943"

// WebStack is seed 004: a multi-region web stack (Route 53, CloudFront, ALB, IAM cross-account
// roles, S3, AWS Config) in us-east-1 and eu-west-1.
func WebStack() *System {
	s := &System{
		Key: "webstack", Title: "multi-region web stack (Route 53, CloudFront, ALB, cross-account IAM, Config)", Seeds: "004",
		Project: "web-stack", Stack: "prod",
		Config: map[string]string{
			"aws:region":                          "us-east-1",
			"web-stack:domain":                    "shop.acme-retail.io",
			"web-stack:ec2InstanceCountPerRegion": "2",
		},
	}
	s.Failing = webFailing
	s.Fixed = webFixed
	s.PackConfig = `{"sns-shared-topic": {"sharedTopicNames": ["app-errors"]}}`
	s.Expect = map[string][]string{
		"www-us-east-1":             {"route53-failover-routing"},                                   // 004#1
		"www-eu-west-1":             {"route53-failover-routing"},                                   // 004#1
		"primary-health":            {"route53-health-check-valid"},                                 // 004#9
		"cdn-us-east-1":             {"cloudfront-regional-distributions", "cloudfront-viewer-tls"}, // 004#2, #5
		"cdn-eu-west-1":             {"cloudfront-regional-distributions", "cloudfront-viewer-tls"}, // 004#2, #5
		"static-cdn":                {"cloudfront-origin-failover"},                                 // 004#2
		"cross-account-role":        {"iam-trust-policy-principals"},                                // 004#3
		"app-errors-prod-us-east-1": {"sns-shared-topic"},                                           // 004#4
		"app-errors-prod-eu-west-1": {"sns-shared-topic"},                                           // 004#4
		"https-listener-us-east-1":  {"alb-listener-tls", "no-placeholder-values"},                  // 004#5
		"https-listener-eu-west-1":  {"alb-listener-tls", "no-placeholder-values"},                  // 004#5
		"static-assets":             {"s3-bucket-https-only"},                                       // 004#6
		"app-runtime-policy":        {"iam-no-wildcard-actions", "iam-no-wildcard-resources"},       // 004#7
		"config-recorder":           {"aws-config-recording-complete"},                              // 004#12
		"nonprod-assume-prod":       {"iam-no-wildcard-assume-role", "iam-no-wildcard-resources"},   // 004#13
		"alb-sg-us-east-1":          {"security-group-no-public-ingress"},                           // 004#14
		"alb-sg-eu-west-1":          {"security-group-no-public-ingress"},                           // 004#14
		"web-alb-us-east-1":         {"alb-internet-facing-restricted"},                             // 004#14
		"web-alb-eu-west-1":         {"alb-internet-facing-restricted"},                             // 004#14
	}
	return s
}

func webFailing(c *Ctx) {
	domain := "shop.acme-retail.io"
	regions := []string{"us-east-1", "eu-west-1"}
	tags := map[string]string{"Project": "web-stack", "Environment": "prod"}
	provs := map[string]*Res{}
	for _, r := range regions {
		provs[r] = c.AWSProvider("aws-"+r, map[string]any{"region": r, "defaultTags": defaultTags(tags)})
	}
	use1 := provs["us-east-1"]
	subnets := map[string][]any{
		"us-east-1": {"subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829"},
		"eu-west-1": {"subnet-0c3d4e5f607182930", "subnet-0d4e5f60718293a41"},
	}
	vpcs := map[string]string{"us-east-1": "vpc-0f1e2d3c4b5a69788", "eu-west-1": "vpc-0e2d3c4b5a6978877"}
	// Placeholder left by the model: "arn:aws:acm:<region>:123456789012:certificate/..."
	placeholderCert := func(r string) string {
		return fmt.Sprintf("arn:aws:acm:%s:123456789012:certificate/12345678-1234-1234-1234-123456789012", r)
	}
	albs := map[string]*Res{}
	for _, r := range regions {
		p := provs[r]
		regional := c.Component("webstack:regional:RegionalStack", "regional-"+r)
		sg := c.Resource("aws:ec2/securityGroup:SecurityGroup", "alb-sg-"+r, map[string]any{
			"vpcId": vpcs[r], "description": "ALB security group",
			"ingress": []any{map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": []any{"0.0.0.0/0"}}},
			"egress":  []any{map[string]any{"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "cidrBlocks": []any{"10.0.0.0/16"}}},
		}, Provider(p), Parent(regional))
		alb := c.Resource("aws:lb/loadBalancer:LoadBalancer", "web-alb-"+r, map[string]any{
			"internal": false, "loadBalancerType": "application",
			"securityGroups": []any{sg.Out("id")}, "subnets": subnets[r],
			"dropInvalidHeaderFields": true,
		}, Provider(p), Parent(regional))
		albs[r] = alb
		tg := c.Resource("aws:lb/targetGroup:TargetGroup", "web-tg-"+r, map[string]any{
			"port": 8080, "protocol": "HTTP", "vpcId": vpcs[r], "targetType": "instance",
			"healthCheck": map[string]any{"path": "/health", "protocol": "HTTP"},
		}, Provider(p), Parent(regional))
		c.Resource("aws:lb/listener:Listener", "https-listener-"+r, map[string]any{
			"loadBalancerArn": alb.Out("arn"), "port": 443, "protocol": "HTTPS",
			"sslPolicy":      "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"certificateArn": placeholderCert(r),
			"defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": tg.Out("arn")}},
		}, Provider(p), Parent(regional))
		c.Resource("aws:sns/topic:Topic", "app-errors-prod-"+r, map[string]any{"kmsMasterKeyId": "alias/aws/sns"},
			Provider(p), Parent(regional))
	}

	global := c.Component("webstack:global:GlobalStack", "global")
	zone := c.Resource("aws:route53/zone:Zone", "primary-zone", map[string]any{"name": domain}, Provider(use1), Parent(global))
	hc := c.Resource("aws:route53/healthCheck:HealthCheck", "primary-health", map[string]any{
		"type": "HTTPS", "fqdn": albs["us-east-1"].Out("dnsName"), "port": 443, "resourcePath": "/health",
		"failureThreshold": 3, "requestInterval": 30,
	}, Provider(use1), Parent(global))
	// Weighted records standing in for failover.
	for i, r := range regions {
		weight := 100
		setID := "primary"
		inputs := map[string]any{
			"zoneId": zone.Out("zoneId"), "name": "www." + domain, "type": "A",
			"setIdentifier":           setID,
			"weightedRoutingPolicies": []any{map[string]any{"weight": weight}},
			"aliases": []any{map[string]any{"name": albs[r].Out("dnsName"), "zoneId": albs[r].Out("zoneId"),
				"evaluateTargetHealth": false}},
		}
		if i == 1 {
			inputs["setIdentifier"] = "secondary"
			inputs["weightedRoutingPolicies"] = []any{map[string]any{"weight": 0}}
		} else {
			inputs["healthCheckId"] = hc.Out("id")
		}
		c.Resource("aws:route53/record:Record", "www-"+r, inputs, Provider(use1), Parent(global))
	}
	logs := c.Resource("aws:s3/bucket:Bucket", "cdn-logs", map[string]any{}, Provider(use1), Parent(global))
	c.Resource("aws:s3/bucketPolicy:BucketPolicy", "cdn-logs-tls-only", map[string]any{
		"bucket": logs.Out("id"),
		"policy": Apply(func(vs ...any) any { return httpsOnlyBucketPolicy(vs[0].(string)) }, logs.Out("arn")),
	}, Provider(use1), Parent(global))
	// One distribution per region in front of that region's ALB, `certificate: undefined`.
	for _, r := range regions {
		c.Resource("aws:cloudfront/distribution:Distribution", "cdn-"+r, map[string]any{
			"enabled": true, "aliases": []any{"www." + domain},
			"origins": []any{map[string]any{
				"originId": "alb-" + r, "domainName": albs[r].Out("dnsName"),
				"customOriginConfig": map[string]any{"httpPort": 80, "httpsPort": 443,
					"originProtocolPolicy": "https-only", "originSslProtocols": []any{"TLSv1.2"}},
			}},
			"defaultCacheBehavior": map[string]any{
				"targetOriginId": "alb-" + r, "viewerProtocolPolicy": "redirect-to-https",
				"allowedMethods": []any{"GET", "HEAD"}, "cachedMethods": []any{"GET", "HEAD"},
				"cachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
			},
			"restrictions":      map[string]any{"geoRestriction": map[string]any{"restrictionType": "none"}},
			"viewerCertificate": map[string]any{"cloudfrontDefaultCertificate": true},
			"loggingConfig":     map[string]any{"bucket": logs.Out("bucketDomainName"), "prefix": "cdn-" + r + "/"},
		}, Provider(use1), Parent(global))
	}
	// Static assets replicated to both regions behind one distribution, but no origin group:
	// the eu-west-1 copy is never used when us-east-1 fails.
	static := c.Resource("aws:s3/bucket:Bucket", "static-assets", map[string]any{"tags": map[string]any{"Purpose": "static"}},
		Provider(use1), Parent(global))
	staticEU := c.Resource("aws:s3/bucket:Bucket", "static-assets-eu", map[string]any{"tags": map[string]any{"Purpose": "static"}},
		Provider(provs["eu-west-1"]), Parent(global))
	c.Resource("aws:s3/bucketPolicy:BucketPolicy", "static-assets-eu-tls-only", map[string]any{
		"bucket": staticEU.Out("id"),
		"policy": Apply(func(vs ...any) any { return httpsOnlyBucketPolicy(vs[0].(string)) }, staticEU.Out("arn")),
	}, Provider(provs["eu-west-1"]), Parent(global))
	c.Resource("aws:cloudfront/distribution:Distribution", "static-cdn", map[string]any{
		"enabled": true,
		"origins": []any{
			map[string]any{"originId": "static-us-east-1", "domainName": static.Out("bucketRegionalDomainName"),
				"originAccessControlId": "E2QWRUHAPOMQZL"},
			map[string]any{"originId": "static-eu-west-1", "domainName": staticEU.Out("bucketRegionalDomainName"),
				"originAccessControlId": "E2QWRUHAPOMQZL"},
		},
		"defaultCacheBehavior": map[string]any{
			"targetOriginId": "static-us-east-1", "viewerProtocolPolicy": "redirect-to-https",
			"allowedMethods": []any{"GET", "HEAD"}, "cachedMethods": []any{"GET", "HEAD"},
			"cachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
		},
		"restrictions":      map[string]any{"geoRestriction": map[string]any{"restrictionType": "none"}},
		"viewerCertificate": map[string]any{"cloudfrontDefaultCertificate": true},
		"loggingConfig":     map[string]any{"bucket": logs.Out("bucketDomainName"), "prefix": "static/"},
	}, Provider(use1), Parent(global))

	sec := c.Component("webstack:security:SecurityStack", "security")
	// "Cross-account" role that trusts its own account (placeholder for the prod account).
	c.Resource("aws:iam/role:Role", "cross-account-role", map[string]any{
		"assumeRolePolicy": JSON(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"AWS": "arn:aws:iam::" + Acct + ":root"},
		}}}),
	}, Provider(use1), Parent(sec))
	c.Resource("aws:iam/policy:Policy", "nonprod-assume-prod", map[string]any{
		"policy": JSON(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/prod-*",
		}}}),
	}, Provider(use1), Parent(sec))
	c.Resource("aws:iam/policy:Policy", "app-runtime-policy", map[string]any{
		"policy": JSON(map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Action": []any{"logs:*"}, "Resource": []any{"*"}},
			map[string]any{"Effect": "Allow", "Action": []any{"secretsmanager:GetSecretValue"},
				"Resource": []any{"arn:aws:secretsmanager:*:*:secret:*"}},
		}}),
	}, Provider(use1), Parent(sec))

	compliance := c.Component("webstack:compliance:ConfigStack", "compliance")
	cfgRole := c.Resource("aws:iam/role:Role", "config-role", map[string]any{"assumeRolePolicy": serviceTrust("config.amazonaws.com")},
		Provider(use1), Parent(compliance))
	c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "config-role-policy", map[string]any{
		"role": cfgRole.Out("name"), "policyArn": "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
	}, Provider(use1), Parent(compliance))
	c.Resource("aws:cfg/recorder:Recorder", "config-recorder", map[string]any{
		"roleArn":        cfgRole.Out("arn"),
		"recordingGroup": map[string]any{"allSupported": true, "includeGlobalResourceTypes": true},
	}, Provider(use1), Parent(compliance))
}

func webFixed(c *Ctx) {
	domain := "shop.acme-retail.io"
	regions := []string{"us-east-1", "eu-west-1"}
	tags := map[string]string{"Project": "web-stack", "Environment": "prod", "ManagedBy": "pulumi"}
	provs := map[string]*Res{}
	for _, r := range regions {
		provs[r] = c.AWSProvider("aws-"+r, map[string]any{"region": r, "defaultTags": defaultTags(tags)})
	}
	use1 := provs["us-east-1"]
	subnets := map[string][]any{
		"us-east-1": {"subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829"},
		"eu-west-1": {"subnet-0c3d4e5f607182930", "subnet-0d4e5f60718293a41"},
	}
	vpcs := map[string]string{"us-east-1": "vpc-0f1e2d3c4b5a69788", "eu-west-1": "vpc-0e2d3c4b5a6978877"}
	// CloudFront origin-facing managed prefix list per region.
	cfPrefixList := map[string]string{"us-east-1": "pl-3b927c52", "eu-west-1": "pl-4fa04526"}
	albs := map[string]*Res{}
	for _, r := range regions {
		p := provs[r]
		regional := c.Component("webstack:regional:RegionalStack", "regional-"+r)
		cert := c.Resource("aws:acm/certificate:Certificate", "alb-cert-"+r, map[string]any{
			"domainName": "origin-" + r + "." + domain, "validationMethod": "DNS",
		}, Provider(p), Parent(regional))
		sg := c.Resource("aws:ec2/securityGroup:SecurityGroup", "alb-sg-"+r, map[string]any{
			"vpcId": vpcs[r], "description": "ALB reachable from CloudFront only",
			"ingress": []any{map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "prefixListIds": []any{cfPrefixList[r]}}},
			"egress":  []any{map[string]any{"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "cidrBlocks": []any{"10.0.0.0/16"}}},
		}, Provider(p), Parent(regional))
		alb := c.Resource("aws:lb/loadBalancer:LoadBalancer", "web-alb-"+r, map[string]any{
			"internal": false, "loadBalancerType": "application",
			"securityGroups": []any{sg.Out("id")}, "subnets": subnets[r],
			"dropInvalidHeaderFields": true, "enableDeletionProtection": true,
		}, Provider(p), Parent(regional))
		albs[r] = alb
		tg := c.Resource("aws:lb/targetGroup:TargetGroup", "web-tg-"+r, map[string]any{
			"port": 8080, "protocol": "HTTP", "vpcId": vpcs[r], "targetType": "instance",
			"healthCheck": map[string]any{"path": "/health", "protocol": "HTTP"},
		}, Provider(p), Parent(regional))
		c.Resource("aws:lb/listener:Listener", "https-listener-"+r, map[string]any{
			"loadBalancerArn": alb.Out("arn"), "port": 443, "protocol": "HTTPS",
			"sslPolicy":      "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"certificateArn": cert.Out("arn"),
			"defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": tg.Out("arn")}},
		}, Provider(p), Parent(regional))
	}
	global := c.Component("webstack:global:GlobalStack", "global")
	// One topic for application errors shared by every environment/region.
	appErrorsKey := alertsKey(c, "app-errors-key", Provider(use1), Parent(global))
	appErrors := c.Resource("aws:sns/topic:Topic", "app-errors", map[string]any{"kmsMasterKeyId": appErrorsKey.Out("arn")},
		Provider(use1), Parent(global))
	zone := c.Resource("aws:route53/zone:Zone", "primary-zone", map[string]any{"name": domain}, Provider(use1), Parent(global))
	hcs := map[string]*Res{}
	for _, r := range regions {
		hcs[r] = c.Resource("aws:route53/healthCheck:HealthCheck", "health-"+r, map[string]any{
			"type": "HTTPS", "fqdn": albs[r].Out("dnsName"), "port": 443, "resourcePath": "/health",
			"failureThreshold": 3, "requestInterval": 30,
		}, Provider(use1), Parent(global))
	}
	for i, r := range regions {
		kind, setID := "PRIMARY", "primary"
		if i == 1 {
			kind, setID = "SECONDARY", "secondary"
		}
		c.Resource("aws:route53/record:Record", "www-"+r, map[string]any{
			"zoneId": zone.Out("zoneId"), "name": "origin." + domain, "type": "A",
			"setIdentifier":           setID,
			"failoverRoutingPolicies": []any{map[string]any{"type": kind}},
			"healthCheckId":           hcs[r].Out("id"),
			"aliases": []any{map[string]any{"name": albs[r].Out("dnsName"), "zoneId": albs[r].Out("zoneId"),
				"evaluateTargetHealth": true}},
		}, Provider(use1), Parent(global))
	}
	cdnCert := c.Resource("aws:acm/certificate:Certificate", "cdn-cert", map[string]any{
		"domainName": "www." + domain, "validationMethod": "DNS",
	}, Provider(use1), Parent(global))
	logs := secureBucket(c, "cdn-logs", "", use1, global)
	origins := []any{}
	for _, r := range regions {
		origins = append(origins, map[string]any{
			"originId": "alb-" + r, "domainName": albs[r].Out("dnsName"),
			"customOriginConfig": map[string]any{"httpPort": 80, "httpsPort": 443,
				"originProtocolPolicy": "https-only", "originSslProtocols": []any{"TLSv1.2"}},
		})
	}
	cdn := c.Resource("aws:cloudfront/distribution:Distribution", "web-cdn", map[string]any{
		"enabled": true, "aliases": []any{"www." + domain}, "origins": origins,
		"originGroups": []any{map[string]any{
			"originId":         "alb-failover",
			"failoverCriteria": map[string]any{"statusCodes": []any{500, 502, 503, 504}},
			"members":          []any{map[string]any{"originId": "alb-us-east-1"}, map[string]any{"originId": "alb-eu-west-1"}},
		}},
		"defaultCacheBehavior": map[string]any{
			"targetOriginId": "alb-failover", "viewerProtocolPolicy": "redirect-to-https",
			"allowedMethods": []any{"GET", "HEAD"}, "cachedMethods": []any{"GET", "HEAD"},
			"cachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
		},
		"restrictions": map[string]any{"geoRestriction": map[string]any{"restrictionType": "none"}},
		"viewerCertificate": map[string]any{
			"acmCertificateArn": cdnCert.Out("arn"), "sslSupportMethod": "sni-only",
			"minimumProtocolVersion": "TLSv1.2_2021",
		},
		"loggingConfig": map[string]any{"bucket": logs.Out("bucketDomainName"), "prefix": "cdn/"},
	}, Provider(use1), Parent(global))

	sec := c.Component("webstack:security:SecurityStack", "security")
	c.Resource("aws:iam/role:Role", "cross-account-role", map[string]any{
		"assumeRolePolicy": JSON(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"AWS": "arn:aws:iam::" + OtherAcct + ":role/nonprod-deployer"},
			"Condition": map[string]any{"StringEquals": map[string]any{"sts:ExternalId": "web-stack-prod-7f3a"}},
		}}}),
	}, Provider(use1), Parent(sec))
	c.Resource("aws:iam/policy:Policy", "nonprod-assume-prod", map[string]any{
		"policy": JSON(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::" + OtherAcct + ":role/prod-deployer",
		}}}),
	}, Provider(use1), Parent(sec))
	secret := c.Resource("aws:secretsmanager/secret:Secret", "app-db-credentials", map[string]any{
		"description": "Application database credentials",
	}, Provider(use1), Parent(sec))
	c.Resource("aws:iam/policy:Policy", "app-runtime-policy", map[string]any{
		"policy": JSONApply(func(vs ...any) any {
			return map[string]any{"Version": "2012-10-17", "Statement": []any{
				map[string]any{"Effect": "Allow", "Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"},
					"Resource": []any{"arn:aws:logs:us-east-1:" + Acct + ":log-group:/web-stack/app:*"}},
				map[string]any{"Effect": "Allow", "Action": []any{"secretsmanager:GetSecretValue"}, "Resource": []any{vs[0]}},
			}}
		}, secret.Out("arn")),
	}, Provider(use1), Parent(sec))
	static := secureBucket(c, "static-assets", "", use1, global)

	compliance := c.Component("webstack:compliance:ConfigStack", "compliance")
	cfgRole := c.Resource("aws:iam/role:Role", "config-role", map[string]any{"assumeRolePolicy": serviceTrust("config.amazonaws.com")},
		Provider(use1), Parent(compliance))
	c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "config-role-policy", map[string]any{
		"role": cfgRole.Out("name"), "policyArn": "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
	}, Provider(use1), Parent(compliance))
	cfgBucket := secureBucket(c, "config-snapshots", "", use1, compliance)
	rec := c.Resource("aws:cfg/recorder:Recorder", "config-recorder", map[string]any{
		"roleArn":        cfgRole.Out("arn"),
		"recordingGroup": map[string]any{"allSupported": true, "includeGlobalResourceTypes": true},
	}, Provider(use1), Parent(compliance))
	ch := c.Resource("aws:cfg/deliveryChannel:DeliveryChannel", "config-delivery", map[string]any{
		"s3BucketName":               cfgBucket.Out("bucket"),
		"snapshotDeliveryProperties": map[string]any{"deliveryFrequency": "TwentyFour_Hours"},
	}, Provider(use1), Parent(compliance), DependsOn(rec))
	c.Resource("aws:cfg/recorderStatus:RecorderStatus", "config-recorder-status", map[string]any{
		"name": rec.Out("name"), "isEnabled": true,
	}, Provider(use1), Parent(compliance), DependsOn(ch))
	c.Export("zone_id", zone.Out("zoneId"))
	c.Export("cdn_domain", "www."+domain)
	c.Export("web_cdn_arn", cdn.Out("arn"))
	c.Export("app_errors_arn", appErrors.Out("arn"))
	c.Export("cdn_logs_name", logs.Out("bucket"))
	c.Export("static_assets_name", static.Out("bucket"))
	c.Export("config_snapshots_name", cfgBucket.Out("bucket"))
	for _, r := range regions {
		c.Export("web_alb_"+r+"_arn", albs[r].Out("arn"))
	}
}
