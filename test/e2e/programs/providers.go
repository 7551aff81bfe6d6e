package programs

// ProviderPatterns collects the provider/region mistakes common to all seeds: the default
// provider picked up by a region conditional, a region that is an AZ or malformed, static
// credentials, assume-role providers never used (v6 `assumeRole` object) or with a wildcard
// role (v7 `assumeRoles` array), a v7 per-resource `region` that is an AZ.
func ProviderPatterns() *System {
	s := &System{
		Key: "providers", Title: "provider and region patterns common to all seeds", Seeds: "000-004",
		Project: "provider-patterns", Stack: "dev",
		Config: map[string]string{"aws:region": "us-east-1"},
	}
	s.Failing = providersFailing
	s.Fixed = providersFixed
	s.Expect = map[string][]string{
		"aws-primary":             {"aws-provider-region-valid"},                                             // region "us-east-1a"
		"aws-eu":                  {"aws-provider-region-valid"},                                             // region "eu-west1"
		"aws-static-keys":         {"aws-provider-no-static-credentials"},                                    // accessKey/secretKey
		"aws-deploy-role":         {"aws-provider-assume-role-used"},                                         // v6 assumeRole, never used
		"aws-wildcard-role":       {"aws-provider-assume-role-used"},                                         // roleArn with *
		"orders-events-us-east-1": {"aws-explicit-provider-required", "aws-provider-mixed-default-explicit"}, // region conditional -> default
		"audit-log":               {"aws-explicit-provider-required"},
		"orders-dlq":              {"aws-provider-region-valid"}, // v7 region "us-west-2b"
	}
	s.Advisory = map[string][]string{
		"aws-eu": {"aws-provider-default-tags"},
	}
	return s
}

func providersFailing(c *Ctx) {
	primary := c.AWSProvider("aws-primary", map[string]any{"region": "us-east-1a"})
	eu := c.AWSProvider("aws-eu", map[string]any{"region": "eu-west1"})
	static := c.AWSProvider("aws-static-keys", map[string]any{
		"region":      "us-west-2",
		"accessKey":   Secret("AKIAZ7XQ3EXAMPLEKEY1"),
		"secretKey":   Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"),
		"defaultTags": defaultTags(map[string]string{"Team": "platform"}),
	})
	// pulumi-aws v6 shape: assumeRole (one object, JSON text); created, never used.
	c.AWSProvider("aws-deploy-role", map[string]any{
		"region":     "us-east-1",
		"assumeRole": JSON(map[string]any{"roleArn": "arn:aws:iam::" + Acct + ":role/deployer", "sessionName": "ci"}),
	})
	wild := c.AWSProvider("aws-wildcard-role", map[string]any{
		"region":      "us-east-1",
		"defaultTags": defaultTags(map[string]string{"Team": "platform"}),
		"assumeRoles": JSON([]any{map[string]any{"roleArn": "arn:aws:iam::" + Acct + ":role/*", "sessionName": "ci"}}),
	})
	c.Resource("aws:sns/topic:Topic", "orders-topic", map[string]any{"kmsMasterKeyId": "alias/aws/sns"}, Provider(primary))
	c.Resource("aws:sqs/queue:Queue", "orders-queue", map[string]any{"sqsManagedSseEnabled": true}, Provider(eu))
	c.Resource("aws:sqs/queue:Queue", "orders-dlq", map[string]any{"sqsManagedSseEnabled": true, "region": "us-west-2b"},
		Provider(static))
	c.Resource("aws:sns/topic:Topic", "orders-archive", map[string]any{"kmsMasterKeyId": "alias/aws/sns"}, Provider(wild))
	for _, r := range []string{"us-east-1", "us-west-2"} {
		var p *Res
		if r != "us-east-1" {
			p = c.AWSProvider("aws-"+r, map[string]any{"region": r,
				"defaultTags": defaultTags(map[string]string{"Team": "platform"})})
		}
		c.Resource("aws:cloudwatch/eventBus:EventBus", "orders-events-"+r, map[string]any{}, Provider(p))
	}
	c.Resource("aws:cloudwatch/logGroup:LogGroup", "audit-log", map[string]any{"retentionInDays": 90})
}

func providersFixed(c *Ctx) {
	tags := defaultTags(map[string]string{"Team": "platform", "ManagedBy": "pulumi"})
	primary := c.AWSProvider("aws-primary", map[string]any{"region": "us-east-1", "defaultTags": tags})
	eu := c.AWSProvider("aws-eu", map[string]any{"region": "eu-west-1", "defaultTags": tags})
	west := c.AWSProvider("aws-us-west-2", map[string]any{"region": "us-west-2", "defaultTags": tags,
		"skipCredentialsValidation": "false"})
	deploy := c.AWSProvider("aws-deploy-role", map[string]any{
		"region": "us-east-1", "defaultTags": tags,
		"assumeRoles": JSON([]any{map[string]any{"roleArn": "arn:aws:iam::" + Acct + ":role/deployer", "sessionName": "ci"}}),
	})
	orders := c.Resource("aws:sns/topic:Topic", "orders-topic", map[string]any{"kmsMasterKeyId": "alias/aws/sns"}, Provider(primary))
	c.Resource("aws:sqs/queue:Queue", "orders-queue", map[string]any{"sqsManagedSseEnabled": true}, Provider(eu))
	c.Resource("aws:sqs/queue:Queue", "orders-dlq", map[string]any{"sqsManagedSseEnabled": true, "region": "us-west-2"},
		Provider(west))
	archive := c.Resource("aws:sns/topic:Topic", "orders-archive", map[string]any{"kmsMasterKeyId": "alias/aws/sns"}, Provider(deploy))
	c.Export("orders_topic_arn", orders.Out("arn"))
	c.Export("orders_archive_arn", archive.Out("arn"))
	for _, r := range []string{"us-east-1", "us-west-2"} {
		p := primary
		if r == "us-west-2" {
			p = west
		}
		c.Resource("aws:cloudwatch/eventBus:EventBus", "orders-events-"+r, map[string]any{}, Provider(p))
	}
	c.Resource("aws:cloudwatch/logGroup:LogGroup", "audit-log", map[string]any{"retentionInDays": 90}, Provider(deploy))
}
