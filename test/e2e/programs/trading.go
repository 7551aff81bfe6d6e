package programs

import "fmt"

// Trading is seeds 000/001: a multi-region trading event pipeline (EventBridge -> Lambda ->
// DynamoDB global table) in us-east-1 and us-west-2.
func Trading() *System {
	s := &System{
		Key: "trading", Title: "multi-region trading event pipeline", Seeds: "000, 001",
		Project: "trading-events", Stack: "dev",
		Config: map[string]string{"aws:region": "us-east-1", "trading-events:environment": "dev"},
	}
	s.Failing = tradingFailing
	s.Fixed = tradingFixed

	// us-east-1 resources end up on the default provider (001#1, #2, #7).
	east := []string{
		"trading-events-transactions-table", "trading-events-lambda-role-us-east-1",
		"trading-events-dynamodb-policy-us-east-1", "trading-events-lambda-dynamodb-us-east-1",
		"trading-events-lambda-basic-us-east-1", "trading-events-order-processor-us-east-1",
		"trading-events-event-bus-us-east-1", "trading-events-order-created-us-east-1",
		"trading-events-order-target-us-east-1", "trading-events-eventbridge-lambda-permission-us-east-1",
		"trading-events-lambda-errors-us-east-1",
	}
	s.Expect = map[string][]string{}
	for _, n := range east {
		s.Expect[n] = []string{"aws-explicit-provider-required"}
	}
	add := func(name string, ps ...string) { s.Expect[name] = append(s.Expect[name], ps...) }
	for _, r := range []string{"us-east-1", "us-west-2"} {
		add("trading-events-order-processor-"+r, "lambda-runtime-supported", "lambda-xray-tracing-active") // 001#3, #4
		add("trading-events-dynamodb-policy-"+r, "iam-no-wildcard-resources", "iam-no-wildcard-actions")   // 001#5
		add("trading-events-lambda-errors-"+r, "cloudwatch-alarm-actions-valid",                           // 001#10
			"cloudwatch-alarm-treat-missing-data")
	}
	add("trading-events-transactions-table", "dynamodb-sse-explicitly-enabled", "dynamodb-pitr-enabled") // 001#6
	// 001#2/#7: one region on the default provider while its twin in us-west-2 is explicit.
	for _, n := range east {
		if n != "trading-events-transactions-table" {
			add(n, "aws-provider-mixed-default-explicit")
		}
	}
	s.Advisory = map[string][]string{
		"aws-us-west-2": {"aws-provider-default-tags"},
	}
	for _, r := range []string{"us-east-1", "us-west-2"} {
		s.Advisory["trading-events-lambda-errors-"+r] = []string{"cloudwatch-alarm-sane-thresholds"} // 001#10
	}
	return s
}

const tradingApp = "trading-events"

// tradingFailing mirrors the model response: get_provider returns the aws module (= default
// provider) for the primary region and a bare aws.Provider elsewhere.
func tradingFailing(c *Ctx) {
	env := "dev"
	regions := []string{"us-east-1", "us-west-2"}
	pipeline := c.Component("tap:trading:TradingPipeline", "trading-pipeline")

	getProvider := func(region string) *Res {
		if region == "us-east-1" {
			return nil // `return aws`: the module, i.e. the default provider
		}
		return c.AWSProvider("aws-"+region, map[string]any{"region": region})
	}
	provs := map[string]*Res{}
	for _, r := range regions {
		provs[r] = getProvider(r)
	}

	table := c.Resource("aws:dynamodb/table:Table", tradingApp+"-transactions-table", map[string]any{
		"name":           fmt.Sprintf("%s-%s-transactions", tradingApp, env),
		"billingMode":    "PAY_PER_REQUEST",
		"hashKey":        "transactionId",
		"rangeKey":       "timestamp",
		"attributes":     []any{map[string]any{"name": "transactionId", "type": "S"}, map[string]any{"name": "timestamp", "type": "N"}},
		"streamEnabled":  true,
		"streamViewType": "NEW_AND_OLD_IMAGES",
		"replicas":       []any{map[string]any{"regionName": "us-west-2"}},
		"tags":           map[string]any{"Environment": env, "Application": tradingApp},
	}, Parent(pipeline))

	for _, r := range regions {
		p := provs[r]
		// opts=ResourceOptions(provider=provider if region != "us-east-1" else None)
		role := c.Resource("aws:iam/role:Role", tradingApp+"-lambda-role-"+r, map[string]any{
			"assumeRolePolicy": lambdaTrust(),
			"tags":             map[string]any{"Environment": env},
		}, Provider(p), Parent(pipeline))
		policy := c.Resource("aws:iam/policy:Policy", tradingApp+"-dynamodb-policy-"+r, map[string]any{
			"description": "DynamoDB access for the order processor",
			"policy": JSON(map[string]any{
				"Version": "2012-10-17",
				"Statement": []any{map[string]any{
					"Effect": "Allow",
					"Action": []any{"dynamodb:*"},
					"Resource": []any{
						fmt.Sprintf("arn:aws:dynamodb:*:%s:table/%s-%s-*", Acct, tradingApp, env),
						fmt.Sprintf("arn:aws:dynamodb:*:%s:table/%s-%s-*/index/*", Acct, tradingApp, env),
					},
				}},
			}),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", tradingApp+"-lambda-dynamodb-"+r, map[string]any{
			"role": role.Out("name"), "policyArn": policy.Out("arn"),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", tradingApp+"-lambda-basic-"+r, map[string]any{
			"role":      role.Out("name"),
			"policyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		}, Provider(p), Parent(pipeline))
		fn := c.Resource("aws:lambda/function:Function", tradingApp+"-order-processor-"+r, map[string]any{
			"runtime":    "python3.9",
			"handler":    "order_processor.handler",
			"role":       role.Out("arn"),
			"code":       handlerArchive("order_processor.py", pyHandler),
			"timeout":    30,
			"memorySize": 256,
			"environment": map[string]any{"variables": map[string]any{
				"TABLE_NAME": table.Out("name"), "ENVIRONMENT": env,
			}},
			"tags": map[string]any{"Environment": env},
		}, Provider(p), Parent(pipeline))
		bus := c.Resource("aws:cloudwatch/eventBus:EventBus", tradingApp+"-event-bus-"+r, map[string]any{
			"name": fmt.Sprintf("%s-%s-%s", tradingApp, env, r),
		}, Provider(p), Parent(pipeline))
		rule := c.Resource("aws:cloudwatch/eventRule:EventRule", tradingApp+"-order-created-"+r, map[string]any{
			"eventBusName": bus.Out("name"),
			"description":  "Order created events",
			"eventPattern": JSON(map[string]any{"source": []any{"trading.orders"}, "detail-type": []any{"OrderCreated"}}),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:cloudwatch/eventTarget:EventTarget", tradingApp+"-order-target-"+r, map[string]any{
			"rule": rule.Out("name"), "eventBusName": bus.Out("name"), "arn": fn.Out("arn"),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:lambda/permission:Permission", tradingApp+"-eventbridge-lambda-permission-"+r, map[string]any{
			"action":    "lambda:InvokeFunction",
			"function":  fn.Out("name"),
			"principal": "events.amazonaws.com",
			"sourceArn": rule.Out("arn"),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:cloudwatch/metricAlarm:MetricAlarm", tradingApp+"-lambda-errors-"+r, map[string]any{
			"comparisonOperator": "GreaterThanOrEqualToThreshold",
			"evaluationPeriods":  1,
			"metricName":         "Errors",
			"namespace":          "AWS/Lambda",
			"period":             60,
			"statistic":          "Sum",
			"threshold":          1,
			"dimensions":         map[string]any{"FunctionName": fn.Out("name")},
		}, Provider(p), Parent(pipeline))
	}
	c.Export("table_name", table.Out("name"))
}

// tradingFixed is the corrected program: one stable provider per region used by everything,
// python3.12 with X-Ray, least-privilege IAM on the exact table ARN, SSE + PITR, alarms to SNS.
func tradingFixed(c *Ctx) {
	env := "dev"
	regions := []string{"us-east-1", "us-west-2"}
	pipeline := c.Component("tap:trading:TradingPipeline", "trading-pipeline")
	tags := map[string]string{"Environment": env, "Application": tradingApp, "ManagedBy": "pulumi"}
	provs := map[string]*Res{}
	for _, r := range regions {
		provs[r] = c.AWSProvider("aws-provider-"+r+"-stable", map[string]any{
			"region":      r,
			"defaultTags": defaultTags(tags),
		})
	}
	primary := provs["us-east-1"]
	table := c.Resource("aws:dynamodb/table:Table", "dynamodb-table-us-east-1", map[string]any{
		"name":                 fmt.Sprintf("%s-%s-transactions", tradingApp, env),
		"billingMode":          "PAY_PER_REQUEST",
		"hashKey":              "transactionId",
		"rangeKey":             "timestamp",
		"attributes":           []any{map[string]any{"name": "transactionId", "type": "S"}, map[string]any{"name": "timestamp", "type": "N"}},
		"streamEnabled":        true,
		"streamViewType":       "NEW_AND_OLD_IMAGES",
		"serverSideEncryption": map[string]any{"enabled": true},
		"pointInTimeRecovery":  map[string]any{"enabled": true},
		"replicas":             []any{map[string]any{"regionName": "us-west-2", "pointInTimeRecovery": true}},
	}, Provider(primary), Parent(pipeline))

	for _, r := range regions {
		p := provs[r]
		key := alertsKey(c, "alerts-key-"+r, Provider(p), Parent(pipeline))
		topic := c.Resource("aws:sns/topic:Topic", "alerts-"+r, map[string]any{
			"name": fmt.Sprintf("%s-%s-alerts-%s", tradingApp, env, r), "kmsMasterKeyId": key.Out("arn"),
		}, Provider(p), Parent(pipeline))
		role := c.Resource("aws:iam/role:Role", "lambda-role-"+r, map[string]any{
			"assumeRolePolicy": lambdaTrust(),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lambda-basic-"+r, map[string]any{
			"role":      role.Out("name"),
			"policyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lambda-xray-"+r, map[string]any{
			"role": role.Out("name"), "policyArn": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
		}, Provider(p), Parent(pipeline))
		policy := c.Resource("aws:iam/policy:Policy", "dynamodb-policy-"+r, map[string]any{
			"policy": JSONApply(func(vs ...any) any {
				arn := vs[0].(string)
				return map[string]any{
					"Version": "2012-10-17",
					"Statement": []any{map[string]any{
						"Effect":   "Allow",
						"Action":   []any{"dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query"},
						"Resource": []any{arn},
					}},
				}
			}, table.Out("arn")),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "lambda-dynamodb-"+r, map[string]any{
			"role": role.Out("name"), "policyArn": policy.Out("arn"),
		}, Provider(p), Parent(pipeline))
		fn := c.Resource("aws:lambda/function:Function", "lambda-function-"+r, map[string]any{
			"runtime":       "python3.12",
			"handler":       "event_processor.handler",
			"role":          role.Out("arn"),
			"code":          handlerArchive("event_processor.py", pyHandler),
			"timeout":       30,
			"memorySize":    256,
			"tracingConfig": map[string]any{"mode": "Active"},
			"environment": map[string]any{"variables": map[string]any{
				"TABLE_NAME": table.Out("name"), "ENVIRONMENT": env,
				"LOG_LEVEL": c.Config("trading-events:logLevel", "INFO"),
			}},
		}, Provider(p), Parent(pipeline))
		bus := c.Resource("aws:cloudwatch/eventBus:EventBus", "eventbridge-bus-"+r, map[string]any{
			"name": fmt.Sprintf("%s-%s-%s", tradingApp, env, r),
		}, Provider(p), Parent(pipeline))
		rule := c.Resource("aws:cloudwatch/eventRule:EventRule", "order-created-rule-"+r, map[string]any{
			"eventBusName": bus.Out("name"),
			"eventPattern": JSON(map[string]any{"source": []any{"trading.orders"}, "detail-type": []any{"OrderCreated"}}),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:cloudwatch/eventTarget:EventTarget", "order-created-target-"+r, map[string]any{
			"rule": rule.Out("name"), "eventBusName": bus.Out("name"), "arn": fn.Out("arn"),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:lambda/permission:Permission", "eventbridge-lambda-permission-"+r, map[string]any{
			"statementId": "AllowExecutionFromEventBridge-" + r,
			"action":      "lambda:InvokeFunction",
			"function":    fn.Out("name"),
			"principal":   "events.amazonaws.com",
			"sourceArn":   rule.Out("arn"),
		}, Provider(p), Parent(pipeline))
		c.Resource("aws:cloudwatch/metricAlarm:MetricAlarm", "lambda-errors-"+r, map[string]any{
			"comparisonOperator": "GreaterThanThreshold",
			"evaluationPeriods":  2,
			"metricName":         "Errors",
			"namespace":          "AWS/Lambda",
			"period":             300,
			"statistic":          "Sum",
			"threshold":          5,
			"treatMissingData":   "notBreaching",
			"alarmActions":       []any{topic.Out("arn")},
			"okActions":          []any{topic.Out("arn")},
			"dimensions":         map[string]any{"FunctionName": fn.Out("name")},
		}, Provider(p), Parent(pipeline))
		c.Export("lambda_arn_"+r, fn.Out("arn"))
		c.Export("alerts_topic_arn_"+r, topic.Out("arn"))
		c.Export("event_bus_arn_"+r, bus.Out("arn"))
	}
	c.Export("table_name", table.Out("name"))
	c.Export("table_arn", table.Out("arn"))
}
