package programs

import "fmt"

// ServerlessAPI is seed 003: a serverless API whose model response also built a VPC with
// subnets and security groups, without any explicit provider.
func ServerlessAPI() *System {
	s := &System{
		Key: "serverless", Title: "serverless API with VPC, subnets and security groups", Seeds: "003",
		Project: "serverless-api", Stack: "dev",
		Config: map[string]string{
			"aws:region":                "us-east-1",
			"serverless-api:vpc_cidr":   "10.0.0.0/16",
			"serverless-api:stack_name": "serverless-api-dev",
		},
	}
	s.Failing = serverlessFailing
	s.Fixed = serverlessFixed
	all := []string{
		"serverless-api-dev-vpc", "public-subnet-0", "public-subnet-1", "private-subnet-0", "private-subnet-1",
		"web-sg", "lambda-policy", "lambda-role", "lambda-policy-attachment", "items-table", "api-handler",
		"cpu-alarm", "error-alarm",
	}
	s.Expect = map[string][]string{}
	for _, n := range all {
		s.Expect[n] = []string{"aws-explicit-provider-required"} // 003#1
	}
	add := func(name string, ps ...string) { s.Expect[name] = append(s.Expect[name], ps...) }
	for _, n := range []string{"public-subnet-0", "public-subnet-1", "private-subnet-0", "private-subnet-1"} {
		add(n, "availability-zone-valid") // 003#2
	}
	// 003#5: private-subnet-0 and public-subnet-1 are both 10.0.1.0/24; either may carry it.
	add("public-subnet-1|private-subnet-0", "vpc-subnet-cidrs-valid")
	add("web-sg", "security-group-no-public-ingress")                                         // 003#6
	add("lambda-policy", "iam-no-wildcard-actions", "iam-no-wildcard-resources")              // 003#7
	add("cpu-alarm", "cloudwatch-alarm-actions-valid")                                        // 003#8 empty
	add("error-alarm", "cloudwatch-alarm-actions-valid")                                      // 003#8 policy.arn (unknown in preview: judged via propertyDependencies)
	add("throttle-alarm", "aws-explicit-provider-required", "cloudwatch-alarm-actions-valid") // 003#8 literal policy ARN
	s.Advisory = map[string][]string{
		"api-handler": {"stack-outputs-required"}, // 003#9: only vpc_id is exported
		"items-table": {"stack-outputs-required"},
	}
	return s
}

func serverlessFailing(c *Ctx) {
	stackName := "serverless-api-dev"
	region := "us-east-1"
	network := c.Component("custom:infrastructure:NetworkStack", "network")
	// No provider specified, resources use default region
	vpc := c.Resource("aws:ec2/vpc:Vpc", stackName+"-vpc", map[string]any{
		"cidrBlock": "10.0.0.0/16", "enableDnsHostnames": true, "enableDnsSupport": true,
		"tags": map[string]any{"Name": stackName + "-vpc"},
	}, Parent(network))
	// region_prefix = values['aws_region'][:-1]  ->  "us-east-" + "a"
	prefix := region[:len(region)-1]
	azs := []string{prefix + "a", prefix + "b"}
	for i, az := range azs {
		c.Resource("aws:ec2/subnet:Subnet", fmt.Sprintf("public-subnet-%d", i), map[string]any{
			"vpcId": vpc.Out("id"), "cidrBlock": fmt.Sprintf("10.0.%d.0/24", i), "availabilityZone": az,
			"mapPublicIpOnLaunch": true,
		}, Parent(network))
	}
	for i, az := range azs {
		c.Resource("aws:ec2/subnet:Subnet", fmt.Sprintf("private-subnet-%d", i), map[string]any{
			// f"10.0.{i+1}.0/24": collides with the public subnets
			"vpcId": vpc.Out("id"), "cidrBlock": fmt.Sprintf("10.0.%d.0/24", i+1), "availabilityZone": az,
		}, Parent(network))
	}
	c.Resource("aws:ec2/securityGroup:SecurityGroup", "web-sg", map[string]any{
		"vpcId":       vpc.Out("id"),
		"description": "Web security group",
		"ingress": []any{
			map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": []any{"0.0.0.0/0"}},
			map[string]any{"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": []any{"0.0.0.0/0"}},
		},
		"egress": []any{map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": []any{"0.0.0.0/0"}}},
	}, Parent(network))

	app := c.Component("custom:infrastructure:ApplicationStack", "application")
	policy := c.Resource("aws:iam/policy:Policy", "lambda-policy", map[string]any{
		"policy": JSON(map[string]any{
			"Version":   "2012-10-17",
			"Statement": []any{map[string]any{"Effect": "Allow", "Action": []any{"s3:*"}, "Resource": "*"}},
		}),
	}, Parent(app))
	role := c.Resource("aws:iam/role:Role", "lambda-role", map[string]any{"assumeRolePolicy": lambdaTrust()}, Parent(app))
	c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lambda-policy-attachment", map[string]any{
		"role": role.Out("name"), "policyArn": policy.Out("arn"),
	}, Parent(app))
	table := c.Resource("aws:dynamodb/table:Table", "items-table", map[string]any{
		"billingMode": "PAY_PER_REQUEST", "hashKey": "id",
		"attributes":           []any{map[string]any{"name": "id", "type": "S"}},
		"serverSideEncryption": map[string]any{"enabled": true},
		"pointInTimeRecovery":  map[string]any{"enabled": true},
	}, Parent(app))
	fn := c.Resource("aws:lambda/function:Function", "api-handler", map[string]any{
		"runtime": "python3.12", "handler": "api.handler", "role": role.Out("arn"),
		"code":          handlerArchive("api.py", pyHandler),
		"tracingConfig": map[string]any{"mode": "Active"},
		"environment":   map[string]any{"variables": map[string]any{"TABLE_NAME": table.Out("name")}},
	}, Parent(app))
	c.Resource("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu-alarm", map[string]any{
		"comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 2, "metricName": "Duration",
		"namespace": "AWS/Lambda", "period": 300, "statistic": "Average", "threshold": 3000,
		"treatMissingData": "notBreaching",
		"dimensions":       map[string]any{"FunctionName": fn.Out("name")},
		"alarmActions":     []any{},
	}, Parent(app))
	c.Resource("aws:cloudwatch/metricAlarm:MetricAlarm", "error-alarm", map[string]any{
		"comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 1, "metricName": "Errors",
		"namespace": "AWS/Lambda", "period": 60, "statistic": "Sum", "threshold": 5,
		"treatMissingData": "notBreaching",
		"dimensions":       map[string]any{"FunctionName": fn.Out("name")},
		"alarmActions":     []any{policy.Out("arn")},
	}, Parent(app))
	c.Resource("aws:cloudwatch/metricAlarm:MetricAlarm", "throttle-alarm", map[string]any{
		"comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 3, "datapointsToAlarm": 2,
		"metricName": "Throttles", "namespace": "AWS/Lambda", "period": 60, "statistic": "Sum", "threshold": 5,
		"treatMissingData": "notBreaching",
		"dimensions":       map[string]any{"FunctionName": fn.Out("name")},
		"alarmActions":     []any{"arn:aws:iam::" + Acct + ":policy/serverless-api-dev-alerts"},
	}, Parent(app))
	c.Export("vpc_id", vpc.Out("id"))
}

func serverlessFixed(c *Ctx) {
	env := "dev"
	name := func(s string) string { return "serverless-api-" + s + "-" + env }
	prov := c.AWSProvider(name("provider"), map[string]any{
		"region":      "us-east-1",
		"defaultTags": defaultTags(map[string]string{"Project": "serverless-api", "Environment": env, "ManagedBy": "pulumi"}),
	})
	tap := c.Component("tap:index:TapStack", "tap-stack")

	data := c.Component("tap:infrastructure:DynamoDBStack", "dynamodb", Parent(tap))
	table := c.Resource("aws:dynamodb/table:Table", name("items"), map[string]any{
		"billingMode": "PAY_PER_REQUEST", "hashKey": "id",
		"attributes":           []any{map[string]any{"name": "id", "type": "S"}},
		"streamEnabled":        true,
		"streamViewType":       "NEW_AND_OLD_IMAGES",
		"serverSideEncryption": map[string]any{"enabled": true},
		"pointInTimeRecovery":  map[string]any{"enabled": true},
	}, Provider(prov), Parent(data))

	storage := c.Component("tap:infrastructure:StorageStack", "storage", Parent(tap))
	files := secureBucket(c, name("files"), "", prov, storage)

	notify := c.Component("tap:infrastructure:NotificationsStack", "notifications", Parent(tap))
	key := alertsKey(c, name("notifications-key"), Provider(prov), Parent(notify))
	topic := c.Resource("aws:sns/topic:Topic", name("notifications"), map[string]any{"kmsMasterKeyId": key.Out("arn")},
		Provider(prov), Parent(notify))

	iam := c.Component("tap:infrastructure:IAMStack", "iam", Parent(tap))
	role := c.Resource("aws:iam/role:Role", name("api-handler-role"), map[string]any{"assumeRolePolicy": lambdaTrust()},
		Provider(prov), Parent(iam))
	c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name("api-handler-logs"), map[string]any{
		"role": role.Out("name"), "policyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
	}, Provider(prov), Parent(iam))
	c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name("api-handler-xray"), map[string]any{
		"role": role.Out("name"), "policyArn": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
	}, Provider(prov), Parent(iam))
	c.Resource("aws:iam/policy:Policy", name("api-handler-dynamodb"), map[string]any{
		"policy": JSONApply(func(vs ...any) any {
			arn := vs[0].(string)
			return map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
				"Effect":   "Allow",
				"Action":   []any{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"},
				"Resource": []any{arn, arn + "/index/*"},
			}}}
		}, table.Out("arn")),
	}, Provider(prov), Parent(iam))

	fns := c.Component("tap:infrastructure:LambdaStack", "lambda", Parent(tap))
	fn := c.Resource("aws:lambda/function:Function", name("api-handler"), map[string]any{
		"runtime": "python3.12", "handler": "api.handler", "role": role.Out("arn"),
		"code":          handlerArchive("api.py", pyHandler),
		"tracingConfig": map[string]any{"mode": "Active"},
		"timeout":       15,
		"environment": map[string]any{"variables": map[string]any{
			"TABLE_NAME": table.Out("name"), "BUCKET_NAME": files.Out("bucket"), "TOPIC_ARN": topic.Out("arn"),
		}},
	}, Provider(prov), Parent(fns))

	api := c.Component("tap:infrastructure:ApiGatewayStack", "api", Parent(tap))
	rest := c.Resource("aws:apigateway/restApi:RestApi", name("api"), map[string]any{
		"description":           "Items API",
		"endpointConfiguration": map[string]any{"types": "REGIONAL"},
	}, Provider(prov), Parent(api))
	c.Resource("aws:lambda/permission:Permission", name("api-invoke"), map[string]any{
		"statementId": "AllowAPIGatewayInvoke",
		"action":      "lambda:InvokeFunction", "function": fn.Out("name"), "principal": "apigateway.amazonaws.com",
		"sourceArn": Sprintf("%s/*/*", rest.Out("executionArn")),
	}, Provider(prov), Parent(api))

	mon := c.Component("tap:infrastructure:MonitoringStack", "monitoring", Parent(tap))
	logs := c.Resource("aws:cloudwatch/logGroup:LogGroup", name("api-handler-logs-group"), map[string]any{
		"name": Sprintf("/aws/lambda/%s", fn.Out("name")), "retentionInDays": 30,
	}, Provider(prov), Parent(mon))
	alarm := c.Resource("aws:cloudwatch/metricAlarm:MetricAlarm", name("alarm-errors-api-handler"), map[string]any{
		"comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 2, "threshold": 5,
		"treatMissingData": "notBreaching",
		"alarmActions":     []any{topic.Out("arn")},
		"metricQueries": []any{
			map[string]any{"id": "error_rate", "expression": "(errors / invocations) * 100", "returnData": true},
			map[string]any{"id": "errors", "metric": map[string]any{"metricName": "Errors", "namespace": "AWS/Lambda",
				"period": 300, "stat": "Sum", "dimensions": map[string]any{"FunctionName": fn.Out("name")}}},
			map[string]any{"id": "invocations", "metric": map[string]any{"metricName": "Invocations", "namespace": "AWS/Lambda",
				"period": 300, "stat": "Sum", "dimensions": map[string]any{"FunctionName": fn.Out("name")}}},
		},
	}, Provider(prov), Parent(mon))

	c.Export("environment", env)
	c.Export("primary_region", "us-east-1")
	c.Export("dynamodb_table_name", table.Out("name"))
	c.Export("dynamodb_table_arn", table.Out("arn"))
	c.Export("s3_bucket_name", files.Out("id"))
	c.Export("s3_bucket_arn", files.Out("arn"))
	c.Export("sns_topic_arn", topic.Out("arn"))
	c.Export("api_handler_name", fn.Out("name"))
	c.Export("api_handler_arn", fn.Out("arn"))
	c.Export("api_gateway_id", rest.Out("id"))
	c.Export("api_handler_log_group_name", logs.Out("name"))
	c.Export("alarm_errors_arn", alarm.Out("arn"))
}
