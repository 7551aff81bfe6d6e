/*
 * check_iam.c - the policy-document parser (src/iam.c) over every shape a
 * document can take: JSON text or object, secret, unknown as a whole or in
 * parts, Statement object or array, string or array fields, every Principal
 * form, Condition, and the invalid documents AWS would reject.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "iam.h"
#include "pv.h"

#define UNK "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define SECRET_OPEN "{\"" PV_SIG_KEY "\":\"" PV_SIG_SECRET "\",\"value\":"

/* How the case's text becomes the property value. */
enum shape {
	AS_TEXT,        /* a string property holding the JSON text */
	AS_OBJECT,      /* the parsed object (PolicyDocument input) */
	AS_SECRET_TEXT, /* a secret wrapping the string */
	AS_VALUE,       /* `json` is itself the property value as JSON (e.g. an unknown sentinel) */
};

struct parse_case {
	const char *name;
	enum shape shape;
	const char *json;
	enum iam_status status;
	int n;                  /* statements, -1 = do not check */
	const char *error_has;  /* substring of doc.error, or NULL */
	const char *error_not;  /* must NOT appear in doc.error (secret content), or NULL */
	const char *error_path; /* exact doc.error_path, or NULL */
	/* statement 0 (when n > 0): */
	int allow;
	int n_action, n_not_action, n_resource, n_not_resource, n_principals;
	const char *action0, *resource0, *pkind0, *pvalue0;
	int action_unknown, resource_unknown, principal_unknown;
	int secret;
	int has_unknown;
};

static const struct parse_case cases[] = {
	/* ---- well-formed shapes ---------------------------------------------------- */
	{ "statement array, string fields", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"arn:aws:s3:::b/*\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, "s3:GetObject", "arn:aws:s3:::b/*", NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "statement object, array fields", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":[\"s3:GetObject\","
	  "\"s3:PutObject\"],\"Resource\":[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]}}",
	  IAM_OK, 1, NULL, NULL, NULL, 0, 2, 0, 2, 0, 0, "s3:GetObject", "arn:aws:s3:::b", NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "object form (PolicyDocument input)", AS_OBJECT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogStream\","
	  "\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f:*\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 2, 0, 1, 0, 0, "logs:CreateLogStream", NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "NotAction and NotResource", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\","
	  "\"NotResource\":[\"arn:aws:s3:::x\"]}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 0, 1, 0, 1, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "bare wildcard principal", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
	  "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 1, NULL, NULL, "*", "*", 0, 0, 0, 0, 0 },
	{ "AWS principal string", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
	  "\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 0, 0, 1, "sts:AssumeRole", NULL, "AWS",
	  "arn:aws:iam::111122223333:root", 0, 0, 0, 0, 0 },
	{ "Service principal array", AS_OBJECT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
	  "[\"lambda.amazonaws.com\",\"edgelambda.amazonaws.com\"]},\"Action\":\"sts:AssumeRole\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 0, 0, 2, NULL, NULL, "Service", "lambda.amazonaws.com",
	  0, 0, 0, 0, 0 },
	{ "Federated and CanonicalUser principals", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
	  "\"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com\",\"CanonicalUser\":"
	  "[\"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be\"]},"
	  "\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 0, 0, 2, NULL, NULL, "Federated", NULL, 0, 0, 0, 0, 0 },
	{ "principal key spelled in another case", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"service\":"
	  "\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 0, 0, 1, NULL, NULL, "Service", "ec2.amazonaws.com",
	  0, 0, 0, 0, 0 },
	{ "several statements", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
	  "\"Resource\":\"arn:aws:s3:::b\"},{\"Sid\":\"B\",\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":"
	  "\"*\",\"Principal\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}",
	  IAM_OK, 2, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, "s3:ListBucket", NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "missing Version is not an error of the parser", AS_TEXT,
	  "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, NULL, "*", NULL, NULL, 0, 0, 0, 0, 0 },
	{ "lower-case element names are accepted", AS_TEXT,
	  "{\"version\":\"2012-10-17\",\"statement\":[{\"effect\":\"Allow\",\"action\":\"s3:GetObject\","
	  "\"resource\":\"*\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, NULL, "*", NULL, NULL, 0, 0, 0, 0, 0 },
	{ "surrounding whitespace", AS_TEXT,
	  "\n  {\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"*\"}]}\n",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },

	/* ---- secrets --------------------------------------------------------------- */
	{ "secret JSON text", AS_SECRET_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"arn:aws:s3:::b/*\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, "s3:GetObject", NULL, NULL, NULL, 0, 0, 0, 1, 0 },
	{ "secret object", AS_VALUE,
	  SECRET_OPEN "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
	  "\"s3:GetObject\",\"Resource\":\"*\"}]}}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, NULL, "*", NULL, NULL, 0, 0, 0, 1, 0 },
	{ "secret element inside an object", AS_OBJECT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":[" SECRET_OPEN "\"arn:aws:s3:::hidden/*\"}]}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, NULL, "arn:aws:s3:::hidden/*", NULL, NULL,
	  0, 0, 0, 1, 0 },
	{ "secret invalid text does not leak", AS_SECRET_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Alow-TOPSECRET\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"*\"}]}",
	  IAM_INVALID, 1, "Effect", "TOPSECRET", "Statement[0].Effect", 0, 1, 0, 1, 0, 0, NULL, NULL, NULL,
	  NULL, 0, 0, 0, 1, 0 },
	{ "secret unparseable text does not leak", AS_SECRET_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{TOPSECRET}]}",
	  IAM_INVALID, -1, "not valid JSON", "TOPSECRET", "", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 1, 0 },

	/* ---- unknowns ---------------------------------------------------------------- */
	{ "whole document unknown", AS_VALUE, "\"" UNK "\"",
	  IAM_UNKNOWN, -1, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 1 },
	{ "secret unknown", AS_VALUE, SECRET_OPEN "\"" UNK "\"}",
	  IAM_UNKNOWN, -1, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 1, 1 },
	{ "Statement unknown", AS_OBJECT, "{\"Version\":\"2012-10-17\",\"Statement\":\"" UNK "\"}",
	  IAM_UNKNOWN, -1, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 1 },
	{ "Resource unknown", AS_OBJECT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\"],"
	  "\"Resource\":\"" UNK "\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 0, 0, 0, "dynamodb:GetItem", NULL, NULL, NULL, 0, 1, 0, 0, 1 },
	{ "one Resource element unknown", AS_OBJECT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"dynamodb:GetItem\","
	  "\"Resource\":[\"" UNK "\",\"arn:aws:dynamodb:us-east-1:111122223333:table/t\"]}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, NULL, "arn:aws:dynamodb:us-east-1:111122223333:table/t",
	  NULL, NULL, 0, 1, 0, 0, 1 },
	{ "Action unknown", AS_OBJECT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" UNK "\","
	  "\"Resource\":\"*\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 0, 0, 1, 0, 0, NULL, "*", NULL, NULL, 1, 0, 0, 0, 1 },
	{ "principal unknown", AS_OBJECT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" UNK "\"},"
	  "\"Action\":\"sts:AssumeRole\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 1, 0, 1 },
	{ "whole principal unknown", AS_OBJECT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"" UNK "\","
	  "\"Action\":\"sts:AssumeRole\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 1, 0, 1 },
	{ "one statement unknown", AS_OBJECT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[\"" UNK "\",{\"Effect\":\"Allow\",\"Action\":"
	  "\"s3:GetObject\",\"Resource\":\"*\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 1 },
	{ "unknown inside JSON text", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"" UNK "\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 1, 0, 0, 1 },

	/* ---- absent ---------------------------------------------------------------- */
	{ "null", AS_VALUE, "null",
	  IAM_ABSENT, -1, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },

	/* ---- invalid documents --------------------------------------------------------- */
	{ "empty string", AS_TEXT, "",
	  IAM_INVALID, -1, "empty string", NULL, "", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "whitespace only", AS_TEXT, "  \n",
	  IAM_INVALID, -1, "empty string", NULL, "", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "not JSON", AS_TEXT, "Version: 2012-10-17",
	  IAM_INVALID, -1, "not valid JSON", NULL, "", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "python f-string splice of an Output", AS_TEXT,
	  "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\"], "
	  "\"Resource\": \"Calling __str__ on an Output[T] is not supported.\n\nTo get the value of an "
	  "Output[T] as an Output[str] consider:\n1. o.apply(lambda v: f\"prefix{v}suffix\")\"}]}",
	  IAM_INVALID, -1, "Calling __str__ on an Output[T]", NULL, "", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL,
	  NULL, 0, 0, 0, 0, 0 },
	{ "node JSON.stringify of an Output gives valid JSON", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"Calling [toJSON] on an [Output<T>] is not supported.\\n\\nTo get the value\"}]}",
	  IAM_OK, 1, NULL, NULL, NULL, 1, 1, 0, 1, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "JSON array at top level", AS_TEXT, "[{\"Effect\":\"Allow\"}]",
	  IAM_INVALID, -1, "list", NULL, "", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "double-encoded JSON", AS_TEXT,
	  "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\"",
	  IAM_INVALID, -1, "encoded twice", NULL, "", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "a number", AS_VALUE, "42",
	  IAM_INVALID, -1, "a number", NULL, "", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "missing Statement", AS_TEXT, "{\"Version\":\"2012-10-17\"}",
	  IAM_INVALID, 0, "no Statement", NULL, "Statement", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "empty Statement list", AS_TEXT, "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
	  IAM_INVALID, 0, "empty list", NULL, "Statement", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "Statement is a string", AS_TEXT, "{\"Version\":\"2012-10-17\",\"Statement\":\"Allow all\"}",
	  IAM_INVALID, 0, "a string", NULL, "Statement", 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "statement element not an object", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[42]}",
	  IAM_INVALID, 0, "Statement[0] is a number", NULL, "Statement[0]", 0, 0, 0, 0, 0, 0, NULL, NULL,
	  NULL, NULL, 0, 0, 0, 0, 0 },
	{ "Version not a string", AS_TEXT,
	  "{\"Version\":2012,\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
	  IAM_INVALID, 1, "Version is a number", NULL, "Version", 1, 1, 0, 1, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "missing Effect", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
	  IAM_INVALID, 1, "no Effect", NULL, "Statement[0].Effect", 0, 1, 0, 1, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "Effect in lower case", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"*\"}]}",
	  IAM_INVALID, 1, "\"allow\"", NULL, "Statement[0].Effect", 0, 1, 0, 1, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "Effect a boolean", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":true,\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}",
	  IAM_INVALID, 1, "Statement.Effect is a boolean", NULL, "Statement.Effect", 0, 1, 0, 1, 0, 0, NULL,
	  NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "no Action", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}",
	  IAM_INVALID, 1, "neither Action nor NotAction", NULL, "Statement[0].Action", 1, 0, 0, 1, 0, 0, NULL,
	  NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "Action and NotAction", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotAction\":"
	  "\"s3:DeleteBucket\",\"Resource\":\"*\"}]}",
	  IAM_INVALID, 1, "both Action and NotAction", NULL, NULL, 1, 1, 1, 1, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "Resource and NotResource", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"*\",\"NotResource\":\"arn:aws:s3:::x\"}]}",
	  IAM_INVALID, 1, "both Resource and NotResource", NULL, NULL, 1, 1, 0, 1, 1, 0, NULL, NULL, NULL,
	  NULL, 0, 0, 0, 0, 0 },
	{ "Principal and NotPrincipal", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\","
	  "\"Principal\":\"*\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"}}]}",
	  IAM_INVALID, 1, "both Principal and NotPrincipal", NULL, NULL, 0, 1, 0, 1, 0, 1, NULL, NULL, "*", "*",
	  0, 0, 0, 0, 0 },
	{ "Action element a number", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",3],"
	  "\"Resource\":\"*\"}]}",
	  IAM_INVALID, 1, "Statement[0].Action[1] is a number", NULL, "Statement[0].Action", 1, 1, 0, 1, 0, 0,
	  NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "Resource an object", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":{\"arn\":\"x\"}}]}",
	  IAM_INVALID, 1, "Statement[0].Resource is an object", NULL, NULL, 1, 1, 0, 0, 0, 0, NULL, NULL,
	  NULL, NULL, 0, 0, 0, 0, 0 },
	{ "empty Action list", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}]}",
	  IAM_INVALID, 1, "empty list", NULL, "Statement[0].Action", 1, 0, 0, 1, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "bare principal that is not *", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"arn:aws:iam::111122223333:root\","
	  "\"Action\":\"sts:AssumeRole\"}]}",
	  IAM_INVALID, 1, "only \"*\" may be written bare", NULL, "Statement[0].Principal", 1, 1, 0, 0, 0, 0,
	  NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "unsupported principal type", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"User\":\"bob\"},"
	  "\"Action\":\"sts:AssumeRole\"}]}",
	  IAM_INVALID, 1, "principal type \"User\"", NULL, "Statement[0].Principal.User", 1, 1, 0, 0, 0, 0,
	  NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "empty principal map", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{},"
	  "\"Action\":\"sts:AssumeRole\"}]}",
	  IAM_INVALID, 1, "empty map", NULL, "Statement[0].Principal", 1, 1, 0, 0, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "principal list element a number", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[111122223333]},"
	  "\"Action\":\"sts:AssumeRole\"}]}",
	  IAM_INVALID, 1, "is a number", NULL, "Statement[0].Principal.AWS", 1, 1, 0, 0, 0, 0, NULL, NULL, NULL,
	  NULL, 0, 0, 0, 0, 0 },
	{ "Condition a string", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"*\",\"Condition\":\"aws:SecureTransport\"}]}",
	  IAM_INVALID, 1, "Condition is a string", NULL, "Statement[0].Condition", 1, 1, 0, 1, 0, 0, NULL, NULL,
	  NULL, NULL, 0, 0, 0, 0, 0 },
	{ "Condition operator not a map", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"*\",\"Condition\":{\"Bool\":\"true\"}}]}",
	  IAM_INVALID, 1, "Condition.Bool is a string", NULL, "Statement[0].Condition", 1, 1, 0, 1, 0, 0, NULL,
	  NULL, NULL, NULL, 0, 0, 0, 0, 0 },
	{ "first error wins, later statements still parsed", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Permit\",\"Action\":\"s3:GetObject\","
	  "\"Resource\":\"*\"},{\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}]}",
	  IAM_INVALID, 2, "\"Permit\"", NULL, "Statement[0].Effect", 0, 1, 0, 1, 0, 0, NULL, NULL, NULL, NULL,
	  0, 0, 0, 0, 0 },
	{ "long value is shortened in the message", AS_TEXT,
	  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"AllowAllowAllowAllowAllowAllowAllowAllowAllowAllowAllowAllowAllowAllow\","
	  "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
	  IAM_INVALID, 1, "...\"", NULL, NULL, 0, 1, 0, 1, 0, 0, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0 },
};

static const pv_value *case_value(struct arena *a, const struct parse_case *tc)
{
	const pv_value *v;
	char *wrapped;

	switch (tc->shape) {
	case AS_TEXT:
		return pv_new_str(a, tc->json);
	case AS_OBJECT:
		v = pv_parse_json(a, tc->json, strlen(tc->json), NULL);
		ck_assert_msg(v != NULL, "case '%s': fixture JSON does not parse", tc->name);
		return v;
	case AS_SECRET_TEXT: {
		/* Build {sig: secret, value: "<text>"} by encoding the text as a JSON string. */
		const pv_value *s = pv_new_str(a, tc->json);
		char *enc = pv_to_json(a, s);
		ck_assert_ptr_nonnull(enc);
		wrapped = arena_printf(a, "%s%s}", SECRET_OPEN, enc);
		v = pv_parse_json(a, wrapped, strlen(wrapped), NULL);
		ck_assert_msg(v != NULL, "case '%s': secret wrapper does not parse", tc->name);
		return v;
	}
	case AS_VALUE:
	default:
		v = pv_parse_json(a, tc->json, strlen(tc->json), NULL);
		ck_assert_msg(v != NULL, "case '%s': fixture JSON does not parse", tc->name);
		return v;
	}
}

START_TEST(test_parse_table)
{
	const struct parse_case *tc = &cases[_i];
	struct arena a;
	struct iam_doc doc;
	const struct iam_statement *st;

	arena_init(&a, 0);
	iam_doc_parse(&a, case_value(&a, tc), &doc);
	ck_assert_msg(doc.status == tc->status, "case '%s': status %d, want %d (error: %s)", tc->name,
		      doc.status, tc->status, doc.error ? doc.error : "-");
	ck_assert_msg((doc.status == IAM_INVALID) == (doc.error != NULL), "case '%s': error iff invalid",
		      tc->name);
	ck_assert_msg(doc.error_path != NULL, "case '%s': error_path never NULL", tc->name);
	if (tc->error_has)
		ck_assert_msg(doc.error && strstr(doc.error, tc->error_has), "case '%s': error '%s' lacks '%s'",
			      tc->name, doc.error ? doc.error : "-", tc->error_has);
	if (tc->error_not)
		ck_assert_msg(!doc.error || !strstr(doc.error, tc->error_not), "case '%s': error '%s' leaks '%s'",
			      tc->name, doc.error, tc->error_not);
	if (tc->error_path)
		ck_assert_msg(strcmp(doc.error_path, tc->error_path) == 0, "case '%s': error_path '%s', want '%s'",
			      tc->name, doc.error_path, tc->error_path);
	ck_assert_msg(doc.secret == tc->secret, "case '%s': secret %d, want %d", tc->name, doc.secret,
		      tc->secret);
	ck_assert_msg(doc.has_unknown == tc->has_unknown, "case '%s': has_unknown %d, want %d", tc->name,
		      doc.has_unknown, tc->has_unknown);
	if (tc->n >= 0)
		ck_assert_msg(doc.n == (size_t)tc->n, "case '%s': %zu statements, want %d", tc->name, doc.n, tc->n);
	if (tc->n <= 0 || doc.n == 0)
		goto done;
	st = &doc.st[0];
	ck_assert_msg(st->effect_allow == tc->allow, "case '%s': effect_allow %d", tc->name, st->effect_allow);
	ck_assert_msg(st->action.n == (size_t)tc->n_action, "case '%s': %zu actions, want %d", tc->name,
		      st->action.n, tc->n_action);
	ck_assert_msg(st->not_action.n == (size_t)tc->n_not_action, "case '%s': %zu not-actions", tc->name,
		      st->not_action.n);
	ck_assert_msg(st->resource.n == (size_t)tc->n_resource, "case '%s': %zu resources, want %d", tc->name,
		      st->resource.n, tc->n_resource);
	ck_assert_msg(st->not_resource.n == (size_t)tc->n_not_resource, "case '%s': %zu not-resources",
		      tc->name, st->not_resource.n);
	ck_assert_msg(st->n_principals == (size_t)tc->n_principals, "case '%s': %zu principals, want %d",
		      tc->name, st->n_principals, tc->n_principals);
	if (tc->action0)
		ck_assert_msg(st->action.n && strcmp(st->action.v[0], tc->action0) == 0, "case '%s': action[0]",
			      tc->name);
	if (tc->resource0)
		ck_assert_msg(st->resource.n && strcmp(st->resource.v[0], tc->resource0) == 0,
			      "case '%s': resource[0] '%s'", tc->name, st->resource.n ? st->resource.v[0] : "-");
	if (tc->pkind0)
		ck_assert_msg(st->n_principals && strcmp(st->principals[0].kind, tc->pkind0) == 0,
			      "case '%s': principal kind", tc->name);
	if (tc->pvalue0)
		ck_assert_msg(st->n_principals && strcmp(st->principals[0].value, tc->pvalue0) == 0,
			      "case '%s': principal value", tc->name);
	ck_assert_msg(st->action.unknown == tc->action_unknown, "case '%s': action.unknown", tc->name);
	ck_assert_msg(st->resource.unknown == tc->resource_unknown, "case '%s': resource.unknown", tc->name);
	ck_assert_msg(st->principal_unknown == tc->principal_unknown, "case '%s': principal_unknown",
		      tc->name);
	ck_assert_msg(st->path != NULL && st->sid != NULL, "case '%s': path/sid never NULL", tc->name);
done:
	arena_release(&a);
}
END_TEST

/* ---- details that do not fit the table ------------------------------------------- */

static void parse_text(struct arena *a, const char *json, struct iam_doc *doc)
{
	iam_doc_parse(a, pv_new_str(a, json), doc);
}

START_TEST(test_statement_details)
{
	struct arena a;
	struct iam_doc doc;

	arena_init(&a, 0);
	parse_text(&a, "{\"Version\":\"2012-10-17\",\"Id\":\"x\",\"Statement\":[{\"Sid\":\"One\",\"Effect\":\"Deny\","
		   "\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam::111122223333:role/a\",\"arn:aws:iam::111122223333:root\"]},"
		   "\"Action\":\"s3:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
		   "\"Resource\":\"*\",\"Principal\":{\"AWS\":\"*\"}}]}", &doc);
	ck_assert_int_eq(doc.status, IAM_OK);
	ck_assert_str_eq(doc.version, "2012-10-17");
	ck_assert_int_eq(doc.is_string, 1);
	ck_assert_uint_eq(doc.n, 2);
	ck_assert_str_eq(doc.st[0].sid, "One");
	ck_assert_str_eq(doc.st[0].effect, "Deny");
	ck_assert_str_eq(doc.st[0].path, "Statement[0]");
	ck_assert_int_eq(doc.st[0].has_not_principal, 1);
	ck_assert_int_eq(doc.st[0].has_principal, 0);
	ck_assert_uint_eq(doc.st[0].n_not_principals, 2);
	ck_assert_str_eq(doc.st[0].not_principals[1].value, "arn:aws:iam::111122223333:root");
	ck_assert_str_eq(doc.st[1].sid, "");
	ck_assert_uint_eq(doc.st[1].index, 1);
	ck_assert_str_eq(doc.st[1].path, "Statement[1]");
	ck_assert_int_eq(iam_principal_is_wildcard(&doc.st[1]), 1);
	ck_assert_int_eq(iam_principal_is_wildcard(&doc.st[0]), 0);
	ck_assert_ptr_nonnull(doc.root);
	ck_assert_ptr_null(doc.output_marker);
	arena_release(&a);
}
END_TEST

START_TEST(test_unknown_statement_keeps_index)
{
	struct arena a;
	struct iam_doc doc;
	const pv_value *v;
	const char *json = "{\"Statement\":[\"" UNK "\",{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
			   "\"Resource\":\"*\"}]}";

	arena_init(&a, 0);
	v = pv_parse_json(&a, json, strlen(json), NULL);
	iam_doc_parse(&a, v, &doc);
	ck_assert_int_eq(doc.status, IAM_OK);
	ck_assert_uint_eq(doc.n, 1);
	ck_assert_uint_eq(doc.st[0].index, 1);
	ck_assert_str_eq(doc.st[0].path, "Statement[1]");
	ck_assert_int_eq(doc.is_string, 0);
	arena_release(&a);
}
END_TEST

START_TEST(test_effect_and_condition_unknown)
{
	struct arena a;
	struct iam_doc doc;
	const pv_value *v;
	const char *json = "{\"Statement\":[{\"Effect\":\"" UNK "\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\","
			   "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"" UNK "\"}}}]}";

	arena_init(&a, 0);
	v = pv_parse_json(&a, json, strlen(json), NULL);
	iam_doc_parse(&a, v, &doc);
	ck_assert_int_eq(doc.status, IAM_OK);
	ck_assert_int_eq(doc.st[0].effect_unknown, 1);
	ck_assert_int_eq(doc.st[0].effect_allow, 0);
	ck_assert_ptr_null(doc.st[0].effect);
	ck_assert_int_eq(doc.st[0].condition_unknown, 1);
	ck_assert_int_eq(iam_condition_has_key(&doc.st[0], "aws:principalorgid"), 1);
	arena_release(&a);
}
END_TEST

START_TEST(test_output_marker_object_form)
{
	struct arena a;
	struct iam_doc doc;
	const pv_value *v;
	const char *json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
			   "\"Resource\":[\"<pulumi.output.Output object at 0x7f3a>\"]}]}";

	arena_init(&a, 0);
	v = pv_parse_json(&a, json, strlen(json), NULL);
	iam_doc_parse(&a, v, &doc);
	ck_assert_int_eq(doc.status, IAM_OK);
	ck_assert_ptr_nonnull(doc.output_marker);
	parse_text(&a, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
		   "\"Resource\":\"arn:aws:s3:::Calling [toString] on an [Output<T>] is not supported./*\"}]}", &doc);
	ck_assert_int_eq(doc.status, IAM_OK);
	ck_assert_ptr_nonnull(doc.output_marker);
	arena_release(&a);
}
END_TEST

START_TEST(test_condition_lookup)
{
	struct arena a;
	struct iam_doc doc;
	const pv_value *c;

	arena_init(&a, 0);
	parse_text(&a, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
		   "\"arn:aws:iam::444455556666:root\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":"
		   "{\"sts:ExternalId\":\"abc\"},\"Bool\":{\"aws:MultiFactorAuthPresent\":[\"true\"]}}}]}", &doc);
	ck_assert_int_eq(doc.status, IAM_OK);
	c = iam_condition(&doc.st[0], "StringEquals", "sts:externalid");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(pv_str(c), "abc");
	c = iam_condition(&doc.st[0], "Bool", "aws:MultiFactorAuthPresent");
	ck_assert_int_eq(pv_kind(c), PV_LIST);
	ck_assert_ptr_null(iam_condition(&doc.st[0], "StringLike", "sts:ExternalId"));
	ck_assert_ptr_null(iam_condition(&doc.st[0], "StringEquals", "aws:PrincipalOrgID"));
	ck_assert_int_eq(iam_condition_has_key(&doc.st[0], "STS:ExternalId"), 1);
	ck_assert_int_eq(iam_condition_has_key(&doc.st[0], "aws:PrincipalOrgID"), 0);
	ck_assert_ptr_null(iam_condition(NULL, "Bool", "x"));
	ck_assert_int_eq(iam_condition_has_key(NULL, "x"), 0);
	arena_release(&a);
}
END_TEST

struct match_case {
	const char *pat, *action;
	int want;
};

static const struct match_case matches[] = {
	{ "*", "s3:GetObject", 1 },
	{ "s3:*", "s3:GetObject", 1 },
	{ "s3:*", "S3:getobject", 1 },
	{ "s3:Get*", "s3:GetObject", 1 },
	{ "s3:Get*", "s3:PutObject", 0 },
	{ "s3:GetObject", "s3:getobject", 1 },
	{ "s3:GetObject", "s3:GetObjectAcl", 0 },
	{ "s3:*Object", "s3:PutObject", 1 },
	{ "s3:*Object", "s3:PutObjectAcl", 0 },
	{ "s3:Get?bject", "s3:GetObject", 1 },
	{ "sts:*", "sts:AssumeRole", 1 },
	{ "sts:Assume*", "sts:AssumeRole", 1 },
	{ "iam:*", "sts:AssumeRole", 0 },
	{ "", "s3:GetObject", 0 },
	{ "*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0 },
	{ NULL, "s3:GetObject", 0 },
	{ "*", NULL, 0 },
};

START_TEST(test_action_matches)
{
	const struct match_case *m = &matches[_i];

	ck_assert_msg(iam_action_matches(m->pat, m->action) == m->want, "'%s' vs '%s'",
		      m->pat ? m->pat : "(null)", m->action ? m->action : "(null)");
}
END_TEST

START_TEST(test_action_is_wildcard)
{
	ck_assert_int_eq(iam_action_is_wildcard("*"), 1);
	ck_assert_int_eq(iam_action_is_wildcard("*:*"), 1);
	ck_assert_int_eq(iam_action_is_wildcard("s3:*"), 1);
	ck_assert_int_eq(iam_action_is_wildcard("logs:*"), 1);
	ck_assert_int_eq(iam_action_is_wildcard("s3:Get*"), 0);
	ck_assert_int_eq(iam_action_is_wildcard("s3:GetObject"), 0);
	ck_assert_int_eq(iam_action_is_wildcard(":*"), 0);
	ck_assert_int_eq(iam_action_is_wildcard(""), 0);
	ck_assert_int_eq(iam_action_is_wildcard(NULL), 0);
}
END_TEST

START_TEST(test_strs_has)
{
	const char *v[] = { "sts:AssumeRole", "sts:TagSession" };
	struct iam_strs l = { 2, v, 0 };

	ck_assert_int_eq(iam_strs_has(&l, "STS:assumerole"), 1);
	ck_assert_int_eq(iam_strs_has(&l, "sts:SetSourceIdentity"), 0);
	ck_assert_int_eq(iam_strs_has(NULL, "x"), 0);
}
END_TEST

/* Depth and size: a deep or huge document must not crash or recurse without bound. */
START_TEST(test_deep_and_large)
{
	struct arena a;
	struct iam_doc doc;
	char *deep, *big;
	size_t n = 200, off = 0;

	arena_init(&a, 0);
	deep = arena_alloc(&a, n * 2 + 64);
	off += (size_t)sprintf(deep + off, "{\"Statement\":");
	for (size_t i = 0; i < n; i++)
		deep[off++] = '[';
	for (size_t i = 0; i < n; i++)
		deep[off++] = ']';
	deep[off++] = '}';
	deep[off] = '\0';
	parse_text(&a, deep, &doc);
	ck_assert_int_eq(doc.status, IAM_INVALID);

	big = arena_alloc(&a, 2000 * 80 + 64);
	off = (size_t)sprintf(big, "{\"Version\":\"2012-10-17\",\"Statement\":[");
	for (int i = 0; i < 2000; i++)
		off += (size_t)sprintf(big + off, "%s{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}",
				       i ? "," : "");
	sprintf(big + off, "]}");
	parse_text(&a, big, &doc);
	ck_assert_int_eq(doc.status, IAM_OK);
	ck_assert_uint_eq(doc.n, 2000);
	arena_release(&a);
}
END_TEST

START_TEST(test_absent)
{
	struct arena a;
	struct iam_doc doc;

	arena_init(&a, 0);
	iam_doc_parse(&a, NULL, &doc);
	ck_assert_int_eq(doc.status, IAM_ABSENT);
	ck_assert_ptr_null(doc.error);
	ck_assert_uint_eq(doc.n, 0);
	arena_release(&a);
}
END_TEST

static Suite *iam_suite(void)
{
	Suite *s = suite_create("iam");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_statement_details);
	tcase_add_test(tc, test_unknown_statement_keeps_index);
	tcase_add_test(tc, test_effect_and_condition_unknown);
	tcase_add_test(tc, test_output_marker_object_form);
	tcase_add_test(tc, test_deep_and_large);
	tcase_add_test(tc, test_absent);
	suite_add_tcase(s, tc);

	tc = tcase_create("helpers");
	tcase_add_test(tc, test_condition_lookup);
	tcase_add_loop_test(tc, test_action_matches, 0, (int)(sizeof(matches) / sizeof(matches[0])));
	tcase_add_test(tc, test_action_is_wildcard);
	tcase_add_test(tc, test_strs_has);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(iam_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
