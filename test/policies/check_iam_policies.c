/*
 * check_iam_policies.c - the "iam" policy family one case at a time: every
 * policy's violations and non-violations, JSON text vs PolicyDocument
 * objects, unknowns, secrets, configuration knobs, where the deployment's
 * account comes from (knob, provider allowedAccountIds, v6 assumeRole, v7
 * assumeRoles), and the stack policy's role/attachment linking.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"
#include "pv.h"

#define UNK "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define OWN "482901735611"
#define OTHER "739104628354"
#define SECRET_OPEN "{\"" PV_SIG_KEY "\":\"" PV_SIG_SECRET "\",\"value\":"

#define T_ROLE "aws:iam/role:Role"
#define T_POLICY "aws:iam/policy:Policy"
#define T_RP "aws:iam/rolePolicy:RolePolicy"
#define T_RPA "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
#define T_BP "aws:s3/bucketPolicy:BucketPolicy"
#define T_KMS "aws:kms/key:Key"

#define P_VALID "iam-policy-document-valid"
#define P_ACT "iam-no-wildcard-actions"
#define P_RES "iam-no-wildcard-resources"
#define P_MAN "iam-no-broad-managed-policies"
#define P_ASSUME "iam-no-wildcard-assume-role"
#define P_TRUST "iam-trust-policy-principals"

/* How the document is written into the property. */
enum form {
	RAW,            /* `doc` is the property's JSON value as is */
	TEXT,           /* `doc` is embedded as a JSON string (JSON text, as most programs send it) */
	INLINE,         /* Role.inlinePolicies: [{"name": "p", "policy": <doc as text>}] */
	SECRET_TEXT,    /* a secret holding the JSON text */
};

struct icase {
	const char *name;
	const char *policy;     /* the policy under test */
	const char *type;
	const char *prop;
	enum form form;
	const char *doc;
	const char *own;        /* provider allowedAccountIds = [own] (NULL = none) */
	const char *config;     /* policy pack config JSON, or NULL */
	int want;               /* diagnostics of `policy` on the resource */
	int want_na;            /* -1 = do not check; else not-applicable/unknown entries of `policy` */
	const char *msg_has;    /* substring of one of the messages, or NULL */
	const char *msg_not;    /* must appear in no message, or NULL */
};

/* Statement shorthands (documents are objects unless a case says TEXT). */
#define DOC(...) "{\"Version\":\"2012-10-17\",\"Statement\":[" __VA_ARGS__ "]}"
#define ALLOW(act, res) "{\"Effect\":\"Allow\",\"Action\":" act ",\"Resource\":" res "}"
#define TRUST(pr) DOC("{\"Effect\":\"Allow\",\"Principal\":" pr ",\"Action\":\"sts:AssumeRole\"}")
#define TRUSTC(pr, cond) DOC("{\"Effect\":\"Allow\",\"Principal\":" pr ",\"Action\":\"sts:AssumeRole\"," \
			     "\"Condition\":" cond "}")
#define BUCKET_STMT(act) "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" OWN ":role/app\"}," \
	"\"Action\":" act ",\"Resource\":\"arn:aws:s3:::b/*\"}"

static const struct icase cases[] = {
	/* ---- iam-policy-document-valid ---------------------------------------------------- */
	{ "valid text", P_VALID, T_POLICY, "policy", TEXT, DOC(ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "valid object", P_VALID, T_RP, "policy", RAW, DOC(ALLOW("[\"s3:GetObject\"]", "[\"arn:aws:s3:::b/*\"]")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "not JSON", P_VALID, T_POLICY, "policy", TEXT, "{\"Version\": \"2012-10-17\", \"Statement\": [",
	  NULL, NULL, 1, -1, "not valid JSON", NULL },
	{ "unknown document", P_VALID, T_POLICY, "policy", RAW, "\"" UNK "\"", NULL, NULL, 0, 1, NULL, NULL },
	{ "absent document", P_VALID, "aws:sns/topic:Topic", "policy", RAW, "null", NULL, NULL, 0, -1, NULL, NULL },
	{ "missing Statement", P_VALID, T_POLICY, "policy", TEXT, "{\"Version\":\"2012-10-17\"}", NULL, NULL, 1, -1,
	  "no Statement", NULL },
	{ "identity policy with Principal", P_VALID, T_POLICY, "policy", RAW,
	  DOC("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"),
	  NULL, NULL, 1, -1, "names a Principal", NULL },
	{ "identity policy without Resource", P_VALID, T_RP, "policy", RAW,
	  DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}"), NULL, NULL, 1, -1, "no Resource", NULL },
	{ "trust policy without Principal", P_VALID, T_ROLE, "assumeRolePolicy", TEXT,
	  DOC("{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}"), NULL, NULL, 1, -1, "no Principal", NULL },
	{ "trust policy with Resource", P_VALID, T_ROLE, "assumeRolePolicy", TEXT,
	  DOC("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\","
	      "\"Resource\":\"*\"}"), NULL, NULL, 1, -1, "prohibited field Resource", NULL },
	{ "bucket policy without Principal", P_VALID, T_BP, "policy", TEXT,
	  DOC(ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"")), NULL, NULL, 1, -1, "no Principal", NULL },
	{ "bucket policy with Principal", P_VALID, T_BP, "policy", TEXT, DOC(BUCKET_STMT("\"s3:GetObject\"")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "empty string in Resource", P_VALID, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "[\"arn:aws:s3:::b/*\",\"\"]")), NULL, NULL, 1, -1, "empty string", NULL },
	{ "hand template left in", P_VALID, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "\"${bucket_arn}/*\"")), NULL, NULL, 1, -1, "unresolved placeholder", NULL },
	{ "CloudFormation pseudo parameter", P_VALID, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b-${AWS::AccountId}/*\"")), NULL, NULL, 1, -1,
	  "${AWS::AccountId}", NULL },
	{ "CDK token", P_VALID, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "\"${Token[TOKEN.123]}\"")), NULL, NULL, 1, -1, "placeholder", NULL },
	{ "Python string missing its f prefix", P_VALID, T_POLICY, "policy", TEXT,
	  DOC(ALLOW("\"dynamodb:Query\"", "\"arn:aws:dynamodb:us-east-1:{args[0]}:table/{app_name}-orders\"")), NULL,
	  NULL, 1, -1, "{args[0]}", NULL },
	{ "API Gateway resource-policy shorthand", P_VALID, "aws:apigateway/restApiPolicy:RestApiPolicy", "policy", TEXT,
	  DOC("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"execute-api:Invoke\","
	      "\"Resource\":\"execute-api:/*/GET/orders\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":"
	      "[\"203.0.113.0/24\"]}}}"), NULL, NULL, 0, -1, NULL, NULL },
	{ "policy variable with Version", P_VALID, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b/home/${aws:username}/*\"")), NULL, NULL, 0, -1, NULL, NULL },
	{ "policy variable with default", P_VALID, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/*\"")), NULL, NULL, 0, -1,
	  NULL, NULL },
	{ "policy variable without Version", P_VALID, T_POLICY, "policy", RAW,
	  "{\"Statement\":[" ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b/home/${aws:username}/*\"") "]}", NULL, NULL,
	  1, -1, "no Version", NULL },
	{ "missing Version is fine by default", P_VALID, T_POLICY, "policy", RAW,
	  "{\"Statement\":[" ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"") "]}", NULL, NULL, 0, -1, NULL, NULL },
	{ "requireVersion knob", P_VALID, T_POLICY, "policy", RAW,
	  "{\"Statement\":[" ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"") "]}", NULL,
	  "{\"" P_VALID "\":{\"requireVersion\":true}}", 1, -1, "no Version", NULL },
	{ "unsupported Version", P_VALID, T_POLICY, "policy", RAW,
	  "{\"Version\":\"2012-10-18\",\"Statement\":[" ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"") "]}", NULL,
	  NULL, 1, -1, "2012-10-18", NULL },
	{ "action without service prefix", P_VALID, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3GetObject\"", "\"arn:aws:s3:::b/*\"")), NULL, NULL, 1, -1, "service:Action", NULL },
	{ "resource that is not an ARN", P_VALID, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "\"my-bucket\"")), NULL, NULL, 1, -1, "not an ARN", NULL },
	{ "non-alphanumeric Sid in IAM", P_VALID, T_POLICY, "policy", RAW,
	  DOC("{\"Sid\":\"read-bucket\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"),
	  NULL, NULL, 1, -1, "alphanumeric", NULL },
	{ "non-alphanumeric Sid in a bucket policy", P_VALID, T_BP, "policy", RAW,
	  DOC("{\"Sid\":\"Allow app role\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" OWN ":role/a\"},"
	      "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"), NULL, NULL, 0, -1, NULL, NULL },
	{ "duplicate Sid", P_VALID, T_POLICY, "policy", RAW,
	  DOC("{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"},"
	      "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"),
	  NULL, NULL, 1, -1, "unique", NULL },
	{ "inline policy invalid", P_VALID, T_ROLE, "inlinePolicies", INLINE, "{\"Version\":\"2012-10-17\"}", NULL,
	  NULL, 1, -1, "inlinePolicies[0].policy", NULL },
	{ "stringified Output in an object document", P_VALID, T_RP, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "\"Calling [toString] on an [Output<T>] is not supported./*\"")), NULL, NULL,
	  1, -1, "Calling [toString] on an [Output<T>]", NULL },
	{ "nested list from Output.all", P_VALID, T_RP, "policy", TEXT,
	  DOC(ALLOW("\"sqs:SendMessage\"", "[[\"arn:aws:sqs:us-east-1:" OWN ":q\"]]")), NULL, NULL, 1, -1,
	  "is a list", NULL },
	{ "lower-case Effect", P_VALID, T_POLICY, "policy", TEXT,
	  DOC("{\"Effect\":\"allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"), NULL, NULL, 1, -1,
	  "case sensitive", NULL },
	{ "secret invalid document is not quoted", P_VALID, T_POLICY, "policy", SECRET_TEXT,
	  DOC("{\"Effect\":\"Permit-SECRETWORD\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}"),
	  NULL, NULL, 1, -1, "Effect", "SECRETWORD" },
	{ "partly unknown document", P_VALID, T_RP, "policy", RAW,
	  DOC("\"" UNK "\"," ALLOW("\"s3:GetObject\"", "\"" UNK "\"")), NULL, NULL, 0, -1, NULL, NULL },
	{ "KMS key policy", P_VALID, T_KMS, "policy", TEXT,
	  DOC("{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
	      OWN ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}"), NULL, NULL, 0, -1, NULL, NULL },

	/* ---- iam-no-wildcard-actions --------------------------------------------------------- */
	{ "Action *", P_ACT, T_POLICY, "policy", TEXT, DOC(ALLOW("\"*\"", "\"*\"")), NULL, NULL, 1, -1,
	  "administrator", NULL },
	{ "s3:*", P_ACT, T_POLICY, "policy", RAW, DOC(ALLOW("[\"s3:*\"]", "\"arn:aws:s3:::b/*\"")), NULL, NULL, 1, -1,
	  "\"s3:*\"", NULL },
	{ "service wildcard, statement object", P_ACT, T_RP, "policy", RAW,
	  "{\"Version\":\"2012-10-17\",\"Statement\":" ALLOW("\"dynamodb:*\"", "\"arn:aws:dynamodb:us-east-1:" OWN
	  ":table/t\"") "}", NULL, NULL, 1, -1, "dynamodb:*", NULL },
	{ "partial wildcard by default", P_ACT, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:Get*\"", "\"arn:aws:s3:::b/*\"")), NULL, NULL, 0, -1, NULL, NULL },
	{ "partial wildcard flagged", P_ACT, T_POLICY, "policy", RAW, DOC(ALLOW("\"s3:Get*\"", "\"arn:aws:s3:::b/*\"")),
	  NULL, "{\"" P_ACT "\":{\"flagPartialWildcards\":true}}", 1, -1, "s3:Get*", NULL },
	{ "allowed service wildcard", P_ACT, T_POLICY, "policy", RAW, DOC(ALLOW("\"xray:*\"", "\"*\"")), NULL,
	  "{\"" P_ACT "\":{\"allowedServiceWildcards\":[\"xray\"]}}", 0, -1, NULL, NULL },
	{ "NotAction with Allow", P_ACT, T_POLICY, "policy", RAW,
	  DOC("{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}"), NULL, NULL, 1, -1, "NotAction", NULL },
	{ "Deny with wildcard", P_ACT, T_POLICY, "policy", RAW,
	  DOC("{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"), NULL, NULL, 0, -1, NULL, NULL },
	{ "logs:* special message", P_ACT, T_ROLE, "inlinePolicies", INLINE, DOC(ALLOW("\"logs:*\"", "\"*\"")), NULL,
	  NULL, 1, -1, "logs:PutLogEvents", NULL },
	{ "secretsmanager:* special message", P_ACT, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"secretsmanager:*\"", "\"arn:aws:secretsmanager:us-east-1:" OWN ":secret:db-AbCdEf\"")), NULL,
	  NULL, 1, -1, "GetSecretValue", NULL },
	{ "KMS default key policy kms:*", P_ACT, T_KMS, "policy", TEXT,
	  DOC("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" OWN ":root\"},\"Action\":\"kms:*\","
	      "\"Resource\":\"*\"}"), NULL, NULL, 0, -1, NULL, NULL },
	{ "bucket policy Action *", P_ACT, T_BP, "policy", TEXT, DOC(BUCKET_STMT("\"*\"")), NULL, NULL, 1, -1,
	  "every action", NULL },
	{ "bucket policy with resource policies off", P_ACT, T_BP, "policy", TEXT, DOC(BUCKET_STMT("\"*\"")), NULL,
	  "{\"" P_ACT "\":{\"checkResourcePolicies\":false}}", 0, -1, NULL, NULL },
	{ "Action unknown", P_ACT, T_POLICY, "policy", RAW, DOC(ALLOW("\"" UNK "\"", "\"*\"")), NULL, NULL, 0, 1, NULL,
	  NULL },
	{ "specific actions", P_ACT, T_POLICY, "policy", TEXT,
	  DOC(ALLOW("[\"dynamodb:GetItem\",\"dynamodb:PutItem\"]", "\"arn:aws:dynamodb:us-east-1:" OWN ":table/t\"")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "invalid documents are left to the validity policy", P_ACT, T_POLICY, "policy", TEXT, "{\"Statement\": [",
	  NULL, NULL, 0, -1, NULL, NULL },

	/* ---- iam-no-wildcard-resources --------------------------------------------------------- */
	{ "Resource * for data actions", P_RES, T_POLICY, "policy", TEXT,
	  DOC(ALLOW("[\"s3:GetObject\"]", "\"*\"")), NULL, NULL, 1, -1, "Resource \"*\"", NULL },
	{ "Resource * for X-Ray and metrics", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("[\"xray:PutTraceSegments\",\"xray:PutTelemetryRecords\",\"cloudwatch:PutMetricData\"]", "\"*\"")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "Resource * for VPC Lambda ENIs", P_RES, T_RP, "policy", RAW,
	  DOC(ALLOW("[\"ec2:CreateNetworkInterface\",\"ec2:DescribeNetworkInterfaces\",\"ec2:DeleteNetworkInterface\"]",
		    "\"*\"")), NULL, NULL, 0, -1, NULL, NULL },
	{ "Resource * for stream listing", P_RES, T_RP, "policy", RAW,
	  DOC(ALLOW("[\"dynamodb:ListStreams\",\"ec2:DescribeSubnets\",\"sts:GetCallerIdentity\"]", "\"*\"")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "Resource * for ECS Exec (ssmmessages has no resource types)", P_RES, T_RP, "policy", TEXT,
	  DOC(ALLOW("[\"ssmmessages:CreateControlChannel\",\"ssmmessages:CreateDataChannel\","
		    "\"ssmmessages:OpenControlChannel\",\"ssmmessages:OpenDataChannel\"]", "\"*\"")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "Resource * for Step Functions log delivery", P_RES, T_RP, "policy", TEXT,
	  DOC(ALLOW("[\"logs:CreateLogDelivery\",\"logs:GetLogDelivery\",\"logs:UpdateLogDelivery\","
		    "\"logs:DeleteLogDelivery\",\"logs:ListLogDeliveries\",\"logs:PutResourcePolicy\","
		    "\"logs:DescribeResourcePolicies\",\"logs:DescribeLogGroups\"]", "\"*\"")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "Resource * for Textract", P_RES, T_RP, "policy", TEXT,
	  DOC(ALLOW("[\"textract:AnalyzeDocument\",\"textract:DetectDocumentText\"]", "\"*\"")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "Resource * for Textract plus a data action", P_RES, T_RP, "policy", TEXT,
	  DOC(ALLOW("[\"textract:AnalyzeDocument\",\"s3:GetObject\"]", "\"*\"")),
	  NULL, NULL, 1, -1, NULL, NULL },
	{ "inlinePolicies: [{}] means no inline policies", P_VALID, T_ROLE, "inlinePolicies", RAW,
	  "[{\"name\":\"\",\"policy\":\"\"}]", NULL, NULL, 0, -1, NULL, NULL },
	{ "Resource * for logs", P_RES, T_ROLE, "inlinePolicies", INLINE,
	  DOC(ALLOW("[\"logs:CreateLogStream\",\"logs:PutLogEvents\"]", "\"*\"")), NULL, NULL, 1, -1,
	  "every log group", NULL },
	{ "S3 objects of one bucket", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\",\"arn:aws:s3:::b/in/*.csv\"]")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "S3 bucket name pattern", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "\"arn:aws:s3:::app-*/*\"")), NULL, NULL, 1, -1, NULL, NULL },
	{ "DynamoDB table and indexes", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"dynamodb:Query\"", "[\"arn:aws:dynamodb:us-east-1:" OWN ":table/orders\",\"arn:aws:dynamodb:"
		    "us-east-1:" OWN ":table/orders/index/*\",\"arn:aws:dynamodb:us-east-1:" OWN ":table/orders/stream/*\"]")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "DynamoDB name prefix", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"dynamodb:Query\"", "\"arn:aws:dynamodb:us-east-1:" OWN ":table/app-dev-*\"")), NULL, NULL, 1, -1,
	  "table.arn", NULL },
	{ "DynamoDB every table", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"dynamodb:Query\"", "\"arn:aws:dynamodb:us-east-1:" OWN ":table/*\"")), NULL, NULL, 1, -1, NULL,
	  NULL },
	{ "DynamoDB any region", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"dynamodb:Query\"", "\"arn:aws:dynamodb:*:" OWN ":table/orders\"")), NULL, NULL, 1, -1,
	  "any region", NULL },
	{ "log group streams", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("[\"logs:CreateLogStream\",\"logs:PutLogEvents\"]", "[\"arn:aws:logs:us-east-1:" OWN
		    ":log-group:/aws/lambda/f:*\",\"arn:aws:logs:us-east-1:" OWN ":log-group:/aws/lambda/f:log-stream:*\"]")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "every Lambda log group", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"logs:PutLogEvents\"", "\"arn:aws:logs:us-east-1:" OWN ":log-group:/aws/lambda/*\"")), NULL, NULL,
	  1, -1, "name the log group", NULL },
	{ "arn:aws:logs:*:*:*", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"logs:PutLogEvents\"", "\"arn:aws:logs:*:*:*\"")), NULL, NULL, 1, -1, "any account", NULL },
	{ "secret with random suffix", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"secretsmanager:GetSecretValue\"", "[\"arn:aws:secretsmanager:us-east-1:" OWN
		    ":secret:prod/db-??????\",\"arn:aws:secretsmanager:us-east-1:" OWN ":secret:api-key-*\"]")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "every secret", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"secretsmanager:GetSecretValue\"", "\"arn:aws:secretsmanager:*:*:secret:*\"")), NULL, NULL, 1,
	  -1, "secret.arn", NULL },
	{ "secret path prefix", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"secretsmanager:GetSecretValue\"", "\"arn:aws:secretsmanager:us-east-1:" OWN ":secret:app/*\"")),
	  NULL, NULL, 1, -1, NULL, NULL },
	{ "function versions", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"lambda:InvokeFunction\"", "\"arn:aws:lambda:us-east-1:" OWN ":function:orders:*\"")), NULL,
	  NULL, 0, -1, NULL, NULL },
	{ "every function", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"lambda:InvokeFunction\"", "\"arn:aws:lambda:us-east-1:" OWN ":function:*\"")), NULL, NULL, 1,
	  -1, NULL, NULL },
	{ "SSM parameter path", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"ssm:GetParametersByPath\"", "\"arn:aws:ssm:us-east-1:" OWN ":parameter/app/dev/*\"")), NULL,
	  NULL, 0, -1, NULL, NULL },
	{ "one API's routes", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"execute-api:Invoke\"", "\"arn:aws:execute-api:us-east-1:" OWN ":a1b2c3d4e5/*/GET/*\"")), NULL,
	  NULL, 0, -1, NULL, NULL },
	{ "every API", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"execute-api:Invoke\"", "\"arn:aws:execute-api:us-east-1:" OWN ":*/*\"")), NULL, NULL, 1, -1,
	  NULL, NULL },
	{ "allowedResourcePatterns", P_RES, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"dynamodb:Query\"", "\"arn:aws:dynamodb:us-east-1:" OWN ":table/app-dev-*\"")), NULL,
	  "{\"" P_RES "\":{\"allowedResourcePatterns\":[\"arn:aws:dynamodb:us-east-1:*:table/app-dev-*\"]}}", 0, -1,
	  NULL, NULL },
	{ "NotResource with Allow", P_RES, T_POLICY, "policy", RAW,
	  DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"NotResource\":\"arn:aws:s3:::secret/*\"}"), NULL,
	  NULL, 1, -1, "NotResource", NULL },
	{ "stringified Output is left to the validity policy", P_RES, T_RP, "policy", RAW,
	  DOC(ALLOW("\"s3:GetObject\"", "\"Calling __str__ on an Output[T] is not supported./*\"")), NULL, NULL, 0, -1,
	  NULL, NULL },
	{ "Effect unknown", P_RES, T_RP, "policy", RAW,
	  DOC("{\"Effect\":\"" UNK "\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}"), NULL, NULL, 0, 1, NULL,
	  NULL },
	{ "Deny on *", P_RES, T_POLICY, "policy", RAW,
	  DOC("{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"}"), NULL, NULL, 0, -1, NULL, NULL },
	{ "Resource unknown", P_RES, T_RP, "policy", RAW, DOC(ALLOW("\"s3:GetObject\"", "\"" UNK "\"")), NULL, NULL,
	  0, 1, NULL, NULL },
	{ "secret document is not quoted", P_RES, T_POLICY, "policy", SECRET_TEXT,
	  DOC(ALLOW("\"dynamodb:Query\"", "\"arn:aws:dynamodb:us-east-1:" OWN ":table/HIDDENNAME-*\"")), NULL, NULL,
	  1, -1, NULL, "HIDDENNAME" },
	{ "user policy", P_RES, "aws:iam/userPolicy:UserPolicy", "policy", TEXT, DOC(ALLOW("\"s3:GetObject\"", "\"*\"")),
	  NULL, NULL, 1, -1, NULL, NULL },
	{ "group policy", P_RES, "aws:iam/groupPolicy:GroupPolicy", "policy", TEXT,
	  DOC(ALLOW("\"s3:GetObject\"", "\"*\"")), NULL, NULL, 1, -1, NULL, NULL },
	{ "resource policies are out of scope", P_RES, T_BP, "policy", TEXT, DOC(BUCKET_STMT("\"s3:GetObject\"")),
	  NULL, NULL, 0, -1, NULL, NULL },

	/* ---- iam-no-broad-managed-policies -------------------------------------------------------- */
	{ "AdministratorAccess attachment", P_MAN, T_RPA, "policyArn", RAW,
	  "\"arn:aws:iam::aws:policy/AdministratorAccess\"", NULL, NULL, 1, -1, "AdministratorAccess", NULL },
	{ "FullAccess attachment", P_MAN, T_RPA, "policyArn", RAW, "\"arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess\"",
	  NULL, NULL, 1, -1, "AmazonDynamoDBFullAccess", NULL },
	{ "AWSLambda_FullAccess", P_MAN, T_RPA, "policyArn", RAW, "\"arn:aws:iam::aws:policy/AWSLambda_FullAccess\"",
	  NULL, NULL, 1, -1, NULL, NULL },
	{ "GovCloud AdministratorAccess", P_MAN, T_RPA, "policyArn", RAW,
	  "\"arn:aws-us-gov:iam::aws:policy/AdministratorAccess\"", NULL, NULL, 1, -1, NULL, NULL },
	{ "basic execution role", P_MAN, T_RPA, "policyArn", RAW,
	  "\"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\"", NULL, NULL, 0, -1, NULL, NULL },
	{ "customer managed policy", P_MAN, T_RPA, "policyArn", RAW, "\"arn:aws:iam::" OWN ":policy/AppFullAccess\"",
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "unknown policy ARN", P_MAN, T_RPA, "policyArn", RAW, "\"" UNK "\"", NULL, NULL, 0, 1, NULL, NULL },
	{ "role managedPolicyArns", P_MAN, T_ROLE, "managedPolicyArns", RAW,
	  "[\"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\","
	  "\"arn:aws:iam::aws:policy/PowerUserAccess\"]", NULL, NULL, 1, -1, "managedPolicyArns[1]", NULL },
	{ "role managedPolicyArns unknown", P_MAN, T_ROLE, "managedPolicyArns", RAW, "\"" UNK "\"", NULL, NULL, 0, 1,
	  NULL, NULL },
	{ "allowedManagedPolicies", P_MAN, T_RPA, "policyArn", RAW, "\"arn:aws:iam::aws:policy/AmazonS3FullAccess\"",
	  NULL, "{\"" P_MAN "\":{\"allowedManagedPolicies\":[\"arn:aws:iam::aws:policy/AmazonS3FullAccess\"]}}", 0, -1,
	  NULL, NULL },
	{ "user attachment", P_MAN, "aws:iam/userPolicyAttachment:UserPolicyAttachment", "policyArn", RAW,
	  "\"arn:aws:iam::aws:policy/IAMFullAccess\"", NULL, NULL, 1, -1, NULL, NULL },
	{ "group attachment", P_MAN, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "policyArn", RAW,
	  "\"arn:aws:iam::aws:policy/SecretsManagerReadWrite\"", NULL, NULL, 1, -1, NULL, NULL },
	{ "policy attachment", P_MAN, "aws:iam/policyAttachment:PolicyAttachment", "policyArn", RAW,
	  "\"arn:aws:iam::aws:policy/AdministratorAccess\"", NULL, NULL, 1, -1, NULL, NULL },
	{ "exclusive attachments", P_MAN, "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
	  "policyArns", RAW, "[\"arn:aws:iam::aws:policy/AdministratorAccess\"]", NULL, NULL, 1, -1, NULL, NULL },

	/* ---- iam-no-wildcard-assume-role ----------------------------------------------------------- */
	{ "assume any role", P_ASSUME, T_POLICY, "policy", TEXT, DOC(ALLOW("\"sts:AssumeRole\"", "\"*\"")), NULL, NULL,
	  1, -1, "Resource \"*\"", NULL },
	{ "assume role in any account", P_ASSUME, T_RP, "policy", RAW,
	  DOC(ALLOW("\"sts:AssumeRole\"", "\"arn:aws:iam::*:role/deployer\"")), NULL, NULL, 1, -1, "any account", NULL },
	{ "assume prod-* roles", P_ASSUME, T_RP, "policy", RAW,
	  DOC(ALLOW("\"sts:AssumeRole\"", "\"arn:aws:iam::" OTHER ":role/prod-*\"")), NULL, NULL, 1, -1, NULL, NULL },
	{ "assume exact role", P_ASSUME, T_RP, "policy", RAW,
	  DOC(ALLOW("[\"sts:AssumeRole\",\"sts:TagSession\"]", "\"arn:aws:iam::" OTHER ":role/prod-deployer\"")), NULL,
	  NULL, 0, -1, NULL, NULL },
	{ "sts:* on role path", P_ASSUME, T_POLICY, "policy", RAW,
	  DOC(ALLOW("\"sts:*\"", "\"arn:aws:iam::" OTHER ":role/ops/*\"")), NULL, NULL, 1, -1, NULL, NULL },
	{ "Action * is judged elsewhere", P_ASSUME, T_POLICY, "policy", RAW, DOC(ALLOW("\"*\"", "\"*\"")), NULL, NULL,
	  0, -1, NULL, NULL },
	{ "allowedRoleArnPatterns", P_ASSUME, T_RP, "policy", RAW,
	  DOC(ALLOW("\"sts:AssumeRole\"", "\"arn:aws:iam::" OTHER ":role/cdk-*\"")), NULL,
	  "{\"" P_ASSUME "\":{\"allowedRoleArnPatterns\":[\"arn:aws:iam::" OTHER ":role/cdk-*\"]}}", 0, -1, NULL, NULL },
	{ "GetCallerIdentity on *", P_ASSUME, T_POLICY, "policy", RAW, DOC(ALLOW("\"sts:GetCallerIdentity\"", "\"*\"")),
	  NULL, NULL, 0, -1, NULL, NULL },
	{ "Deny assume any role", P_ASSUME, T_POLICY, "policy", RAW,
	  DOC("{\"Effect\":\"Deny\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}"), NULL, NULL, 0, -1, NULL, NULL },
	{ "assume role via inline policy", P_ASSUME, T_ROLE, "inlinePolicies", INLINE,
	  DOC(ALLOW("\"sts:AssumeRole\"", "\"arn:aws:iam::" OTHER ":role/*\"")), NULL, NULL, 1, -1, NULL, NULL },

	/* ---- iam-trust-policy-principals ------------------------------------------------------------ */
	{ "Lambda service", P_TRUST, T_ROLE, "assumeRolePolicy", TEXT, TRUST("{\"Service\":\"lambda.amazonaws.com\"}"),
	  OWN, NULL, 0, -1, NULL, NULL },
	{ "China partition service", P_TRUST, T_ROLE, "assumeRolePolicy", TEXT,
	  TRUST("{\"Service\":[\"lambda.amazonaws.com\",\"ec2.amazonaws.com.cn\"]}"), NULL, NULL, 0, -1, NULL, NULL },
	{ "malformed service", P_TRUST, T_ROLE, "assumeRolePolicy", TEXT, TRUST("{\"Service\":\"lambda\"}"), NULL, NULL,
	  1, -1, "lambda.amazonaws.com", NULL },
	{ "wildcard service", P_TRUST, T_ROLE, "assumeRolePolicy", TEXT, TRUST("{\"Service\":\"*.amazonaws.com\"}"),
	  NULL, NULL, 1, -1, NULL, NULL },
	{ "Principal *", P_TRUST, T_ROLE, "assumeRolePolicy", TEXT, TRUST("\"*\""), NULL, NULL, 1, -1, "any AWS account",
	  NULL },
	{ "AWS * pinned to the organisation", P_TRUST, T_ROLE, "assumeRolePolicy", TEXT,
	  TRUSTC("{\"AWS\":\"*\"}", "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}"), NULL, NULL, 0, -1, NULL,
	  NULL },
	{ "placeholder account", P_TRUST, T_ROLE, "assumeRolePolicy", TEXT,
	  TRUST("{\"AWS\":\"arn:aws:iam::123456789012:root\"}"), NULL, NULL, 1, -1, "placeholder", NULL },
	{ "placeholder token account", P_TRUST, T_ROLE, "assumeRolePolicy", TEXT,
	  TRUST("{\"AWS\":\"arn:aws:iam::<ACCOUNT_ID>:role/deployer\"}"), NULL, NULL, 1, -1, NULL, NULL },
	{ "same-account root (allowedAccountIds)", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OWN ":root\"}"), OWN, NULL, 1, -1, "the account this stack deploys to", NULL },
	{ "same-account bare ID", P_TRUST, T_ROLE, "assumeRolePolicy", RAW, TRUST("{\"AWS\":\"" OWN "\"}"), OWN, NULL,
	  1, -1, NULL, NULL },
	{ "same-account root allowed by knob", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OWN ":root\"}"), OWN, "{\"" P_TRUST "\":{\"allowSameAccountRoot\":true}}", 0,
	  -1, NULL, NULL },
	{ "same-account role", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OWN ":role/app\"}"), OWN, NULL, 0, -1, NULL, NULL },
	{ "own account from the accountIds knob", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OWN ":root\"}"), NULL, "{\"" P_TRUST "\":{\"accountIds\":[\"" OWN "\"]}}", 1,
	  -1, "the account this stack deploys to", NULL },
	{ "cross-account root without condition", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OTHER ":root\"}"), OWN, NULL, 1, -1, "sts:ExternalId", NULL },
	{ "cross-account role without condition", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OTHER ":role/ci\"}"), OWN, NULL, 1, -1, "another account", NULL },
	{ "cross-account role with ExternalId", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUSTC("{\"AWS\":\"arn:aws:iam::" OTHER ":role/ci\"}", "{\"StringEquals\":{\"sts:ExternalId\":\"x1\"}}"), OWN,
	  NULL, 0, -1, NULL, NULL },
	{ "cross-account role, trusted account", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OTHER ":role/ci\"}"), OWN,
	  "{\"" P_TRUST "\":{\"trustedAccountIds\":[\"" OTHER "\"]}}", 0, -1, NULL, NULL },
	{ "cross-account role, conditions not required", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OTHER ":role/ci\"}"), OWN,
	  "{\"" P_TRUST "\":{\"requireConditionForCrossAccount\":false}}", 0, -1, NULL, NULL },
	{ "trustedPrincipals", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OTHER ":root\"}"), OWN,
	  "{\"" P_TRUST "\":{\"trustedPrincipals\":[\"arn:aws:iam::" OTHER ":*\"]}}", 0, -1, NULL, NULL },
	{ "account unknown, whole-account principal", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OTHER ":root\"}"), NULL, NULL, 1, -1, "whole account", NULL },
	{ "account unknown, specific role", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  TRUST("{\"AWS\":\"arn:aws:iam::" OTHER ":role/ci\"}"), NULL, NULL, 0, -1, NULL, NULL },
	{ "GitHub OIDC without conditions", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  DOC("{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::" OWN ":oidc-provider/"
	      "token.actions.githubusercontent.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}"), NULL, NULL, 1, -1,
	  "token.actions.githubusercontent.com:sub", NULL },
	{ "GitHub OIDC with conditions", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  DOC("{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::" OWN ":oidc-provider/"
	      "token.actions.githubusercontent.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{"
	      "\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"},\"StringLike\":{"
	      "\"token.actions.githubusercontent.com:sub\":\"repo:acme/app:ref:refs/heads/main\"}}}"), NULL, NULL, 0, -1,
	  NULL, NULL },
	{ "sts:* in a trust policy", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  DOC("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:*\"}"),
	  NULL, NULL, 1, -1, "sts:*", NULL },
	{ "NotPrincipal with Allow", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  DOC("{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::" OTHER ":root\"},"
	      "\"Action\":\"sts:AssumeRole\"}"), NULL, NULL, 1, -1, "NotPrincipal", NULL },
	{ "Deny statement", P_TRUST, T_ROLE, "assumeRolePolicy", RAW,
	  DOC("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}"), NULL, NULL, 0, -1, NULL, NULL },
	{ "principal unknown", P_TRUST, T_ROLE, "assumeRolePolicy", RAW, TRUST("{\"AWS\":\"" UNK "\"}"), OWN, NULL, 0,
	  1, NULL, NULL },
	{ "trust policy unknown", P_TRUST, T_ROLE, "assumeRolePolicy", RAW, "\"" UNK "\"", OWN, NULL, 0, 1, NULL, NULL },
};

/* The property value for a case, as JSON text. */
static const char *case_prop(struct arena *a, const struct icase *tc)
{
	const char *text;

	switch (tc->form) {
	case TEXT:
		return pv_to_json(a, pv_new_str(a, tc->doc));
	case INLINE:
		text = pv_to_json(a, pv_new_str(a, tc->doc));
		return arena_printf(a, "[{\"name\":\"p\",\"policy\":%s}]", text);
	case SECRET_TEXT:
		text = pv_to_json(a, pv_new_str(a, tc->doc));
		return arena_printf(a, "%s%s}", SECRET_OPEN, text);
	case RAW:
	default:
		return tc->doc;
	}
}

static const char *case_fixture(struct arena *a, const struct icase *tc)
{
	const char *prov_extra = "";

	if (tc->own) {
		const char *list = arena_printf(a, "[\"%s\"]", tc->own);
		prov_extra = arena_printf(a, ",\"allowedAccountIds\":%s", pv_to_json(a, pv_new_str(a, list)));
	}
	return arena_printf(a,
		"{\"title\":\"%s\",%s%s%s\"resources\":["
		"{\"type\":\"pulumi:providers:aws\",\"urn\":\"urn:pulumi:dev::p::pulumi:providers:aws::prov\","
		"\"name\":\"prov\",\"properties\":{\"region\":\"us-east-1\",\"defaultTags\":"
		"\"{\\\"tags\\\":{\\\"team\\\":\\\"x\\\"}}\"%s}},"
		"{\"type\":\"%s\",\"urn\":\"urn:pulumi:dev::p::%s::r\",\"name\":\"r\","
		"\"provider\":\"urn:pulumi:dev::p::pulumi:providers:aws::prov\",\"properties\":{\"%s\":%s}}]}",
		tc->name, tc->config ? "\"config\":" : "", tc->config ? tc->config : "", tc->config ? "," : "",
		prov_extra, tc->type, tc->type, tc->prop, case_prop(a, tc));
}

/* Not-applicable entries of `policy` that say a value was unknown (not the type mismatch of the provider). */
static size_t count_unknown_na(const struct pct_run *run, const char *policy)
{
	size_t n = 0;

	for (size_t i = 0; i < run->res.n_nas; i++)
		if (strcmp(run->res.nas[i].pp->p->name, policy) == 0 && strstr(run->res.nas[i].reason, "unknown"))
			n++;
	return n;
}

static int any_message_has(const struct pct_run *run, const char *policy, const char *s)
{
	for (size_t i = 0; i < run->n; i++)
		if ((!policy || strcmp(run->d[i].policy, policy) == 0) && strstr(run->d[i].message, s))
			return 1;
	return 0;
}

START_TEST(test_case)
{
	const struct icase *tc = &cases[_i];
	struct arena a;
	struct pct_run run;
	const char *json;
	size_t got;

	arena_init(&a, 0);
	json = case_fixture(&a, tc);
	ck_assert_msg(pct_run_json(&run, json) == 0, "case '%s': %s", tc->name, run.err ? run.err : "?");
	got = pct_count(&run, tc->policy, "::r", -1);
	ck_assert_msg(got == (size_t)tc->want, "case '%s': %zu diagnostics of %s, want %d:\n%s", tc->name, got,
		      tc->policy, tc->want, pct_describe(&run));
	if (tc->want_na >= 0)
		ck_assert_msg(count_unknown_na(&run, tc->policy) == (size_t)tc->want_na, "case '%s': %zu unknown "
			      "n/a entries, want %d", tc->name, count_unknown_na(&run, tc->policy), tc->want_na);
	if (tc->msg_has)
		ck_assert_msg(any_message_has(&run, tc->policy, tc->msg_has), "case '%s': no message has '%s':\n%s",
			      tc->name, tc->msg_has, pct_describe(&run));
	if (tc->msg_not)
		ck_assert_msg(!any_message_has(&run, NULL, tc->msg_not), "case '%s': a message leaks '%s':\n%s",
			      tc->name, tc->msg_not, pct_describe(&run));
	/* Every iam policy reports at the default level of its table entry. */
	ck_assert_msg(pct_count(&run, tc->policy, "::r", POL_MANDATORY) == got, "case '%s': not mandatory", tc->name);
	pct_run_free(&run);
	arena_release(&a);
}
END_TEST

/* ---- where the deployment's account comes from ---------------------------------------------- */

static size_t run_trust_with_provider(const char *prov_props)
{
	struct arena a;
	struct pct_run run;
	size_t n;
	const char *trust;

	arena_init(&a, 0);
	trust = pv_to_json(&a, pv_new_str(&a, TRUST("{\"AWS\":\"arn:aws:iam::" OWN ":root\"}")));
	const char *json = arena_printf(&a,
		"{\"title\":\"t\",\"resources\":["
		"{\"type\":\"pulumi:providers:aws\",\"urn\":\"urn:pulumi:dev::p::pulumi:providers:aws::prov\","
		"\"name\":\"prov\",\"properties\":%s},"
		"{\"type\":\"aws:iam/role:Role\",\"urn\":\"urn:pulumi:dev::p::aws:iam/role:Role::r\",\"name\":\"r\","
		"\"provider\":\"urn:pulumi:dev::p::pulumi:providers:aws::prov\",\"properties\":{\"assumeRolePolicy\":%s}}]}",
		prov_props, trust);
	ck_assert_msg(pct_run_json(&run, json) == 0, "%s", run.err ? run.err : "?");
	/* Same-account diagnostics only: the account had to be known. */
	n = 0;
	for (size_t i = 0; i < run.n; i++)
		if (strcmp(run.d[i].policy, P_TRUST) == 0 && strstr(run.d[i].message, "the account this stack deploys to"))
			n++;
	pct_run_free(&run);
	arena_release(&a);
	return n;
}

START_TEST(test_account_from_provider)
{
	/* v6: assumeRole is one object as JSON text. */
	ck_assert_uint_eq(run_trust_with_provider("{\"region\":\"us-east-1\",\"assumeRole\":"
		"\"{\\\"roleArn\\\":\\\"arn:aws:iam::" OWN ":role/deployer\\\",\\\"sessionName\\\":\\\"s\\\"}\"}"), 1);
	/* v7: assumeRoles is a list as JSON text. */
	ck_assert_uint_eq(run_trust_with_provider("{\"region\":\"us-east-1\",\"assumeRoles\":"
		"\"[{\\\"roleArn\\\":\\\"arn:aws:iam::" OWN ":role/deployer\\\"}]\"}"), 1);
	/* allowedAccountIds with several accounts. */
	ck_assert_uint_eq(run_trust_with_provider("{\"region\":\"us-east-1\",\"allowedAccountIds\":"
		"\"[\\\"" OTHER "\\\",\\\"" OWN "\\\"]\"}"), 1);
	/* Unknown during preview: the whole-account rule still applies, with its own message. */
	ck_assert_uint_eq(run_trust_with_provider("{\"region\":\"us-east-1\",\"allowedAccountIds\":\"" UNK "\"}"), 0);
}
END_TEST

/* ---- iam-role-no-policy-management-conflicts (stack) --------------------------------------- */

#define ROLE_URN "urn:pulumi:dev::p::aws:iam/role:Role::app-role"
#define TRUST_TEXT "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\"," \
	"\\\"Principal\\\":{\\\"Service\\\":\\\"lambda.amazonaws.com\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}\""

static size_t run_conflicts(const char *role_extra, const char *other)
{
	struct arena a;
	struct pct_run run;
	size_t n;

	arena_init(&a, 0);
	const char *json = arena_printf(&a,
		"{\"title\":\"t\",\"resources\":["
		"{\"type\":\"aws:iam/role:Role\",\"urn\":\"" ROLE_URN "\",\"name\":\"app-role\","
		"\"properties\":{\"name\":\"app-role-1a2b\",\"assumeRolePolicy\":" TRUST_TEXT "%s}},%s]}",
		role_extra, other);
	ck_assert_msg(pct_run_json(&run, json) == 0, "%s", run.err ? run.err : "?");
	n = pct_count(&run, "iam-role-no-policy-management-conflicts", NULL, POL_ADVISORY);
	ck_assert_uint_eq(pct_count(&run, "iam-role-no-policy-management-conflicts", NULL, POL_MANDATORY), 0);
	pct_run_free(&run);
	arena_release(&a);
	return n;
}

#define BASIC "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
#define XRAY "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
#define RPA(name, role, arn, deps) \
	"{\"type\":\"aws:iam/rolePolicyAttachment:RolePolicyAttachment\"," \
	"\"urn\":\"urn:pulumi:dev::p::aws:iam/rolePolicyAttachment:RolePolicyAttachment::" name "\"," \
	"\"name\":\"" name "\",\"properties\":{\"role\":\"" role "\",\"policyArn\":\"" arn "\"}" deps "}"
#define DEPS_ROLE ",\"propertyDependencies\":{\"role\":[\"" ROLE_URN "\"]}"

START_TEST(test_conflicts)
{
	/* Attachment of a policy the role's exclusive list does not hold (linked by propertyDependencies). */
	ck_assert_uint_eq(run_conflicts(",\"managedPolicyArns\":[\"" BASIC "\"]",
					RPA("xray", UNK, XRAY, DEPS_ROLE)), 1);
	/* ... linked by the role's name. */
	ck_assert_uint_eq(run_conflicts(",\"managedPolicyArns\":[\"" BASIC "\"]",
					RPA("xray", "app-role-1a2b", XRAY, "")), 1);
	/* Deployed roles report every attached policy: an ARN already in the list is no conflict. */
	ck_assert_uint_eq(run_conflicts(",\"managedPolicyArns\":[\"" BASIC "\",\"" XRAY "\"]",
					RPA("xray", "app-role-1a2b", XRAY, DEPS_ROLE)), 0);
	/* No exclusive list: attachments are the one place. */
	ck_assert_uint_eq(run_conflicts("", RPA("xray", "app-role-1a2b", XRAY, DEPS_ROLE)), 0);
	ck_assert_uint_eq(run_conflicts(",\"managedPolicyArns\":[]", RPA("xray", "app-role-1a2b", XRAY, DEPS_ROLE)), 0);
	/* Another role's attachment. */
	ck_assert_uint_eq(run_conflicts(",\"managedPolicyArns\":[\"" BASIC "\"]",
					RPA("xray", "other-role", XRAY, "")), 0);
	/* RolePolicy vs inlinePolicies. */
	ck_assert_uint_eq(run_conflicts(",\"inlinePolicies\":[{\"name\":\"a\",\"policy\":\"{}\"}]",
		"{\"type\":\"aws:iam/rolePolicy:RolePolicy\",\"urn\":\"urn:pulumi:dev::p::aws:iam/rolePolicy:RolePolicy::b\","
		"\"name\":\"b\",\"properties\":{\"name\":\"b\",\"role\":\"app-role-1a2b\",\"policy\":\"{}\"}}"), 1);
	ck_assert_uint_eq(run_conflicts(",\"inlinePolicies\":[{\"name\":\"b\",\"policy\":\"{}\"}]",
		"{\"type\":\"aws:iam/rolePolicy:RolePolicy\",\"urn\":\"urn:pulumi:dev::p::aws:iam/rolePolicy:RolePolicy::b\","
		"\"name\":\"b\",\"properties\":{\"name\":\"b\",\"role\":\"app-role-1a2b\",\"policy\":\"{}\"}}"), 0);
	/* Exclusive resources vs the role's own lists. */
	ck_assert_uint_eq(run_conflicts(",\"managedPolicyArns\":[\"" BASIC "\"]",
		"{\"type\":\"aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive\","
		"\"urn\":\"urn:pulumi:dev::p::aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive::x\","
		"\"name\":\"x\",\"properties\":{\"roleName\":\"app-role-1a2b\",\"policyArns\":[\"" BASIC "\"]}}"), 1);
	/* PolicyAttachment with a roles list. */
	ck_assert_uint_eq(run_conflicts(",\"managedPolicyArns\":[\"" BASIC "\"]",
		"{\"type\":\"aws:iam/policyAttachment:PolicyAttachment\","
		"\"urn\":\"urn:pulumi:dev::p::aws:iam/policyAttachment:PolicyAttachment::pa\",\"name\":\"pa\","
		"\"properties\":{\"name\":\"pa\",\"roles\":[\"app-role-1a2b\"],\"policyArn\":\"" XRAY "\"}}"), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("iam-policies");
	TCase *tc = tcase_create("cases");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_case, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_account_from_provider);
	tcase_add_test(tc, test_conflicts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
