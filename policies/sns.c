/*
 * sns.c - policy family "sns": shared notification topics and encryption.
 *
 * sns-shared-topic is configuration-driven (seed 004 #4): whether a topic
 * must be shared across environments and regions is a decision of the
 * organisation, not something a policy can guess. Until the configuration
 * names such topics (sharedTopicNames) or asks for one topic per purpose
 * (requireSingleTopicPerPurpose), the policy reports nothing.
 *
 * A topic's "purpose" is its name with environment words (dev, staging,
 * prod, ...), region names (us-east-1, useast1, use1), the stack name and
 * Pulumi's random auto-name suffix removed: "app-errors-prod-us-west-2-1a2b3c4"
 * and "app-errors-dev" both have purpose "app-errors".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "aws.h"
#include "policy.h"
#include "stack.h"

#define T_TOPIC "aws:sns/topic:Topic"

#define SNS_MAX_TOKENS 32

struct sns_topic {
	const struct pol_resource *r;
	const char *name;       /* physical name (or logical when unknown) */
	const char *purpose;    /* name without environment/region/stack words */
	const char *scope;      /* first environment or stack word found, or NULL */
};

static int sns_is_env_token(const struct pol_ctx *c, const char *tok)
{
	return pol_cfg_list_has(c, "environmentTokens", tok);
}

static int sns_all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return 1;
}

/* "useast1" / "euwest2" (compact region) or "use1" / "euw2" / "apse2" (short codes). */
static int sns_is_compact_region(const char *tok)
{
	static const char *const geo[] = { "us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn", NULL };
	static const char *const dir[] = { "e", "w", "n", "s", "c", "ne", "se", "nw", "sw",
					   "east", "west", "north", "south", "central", "northeast",
					   "southeast", "northwest", "southwest", NULL };
	size_t n = strlen(tok);
	if (n < 4 || !isdigit((unsigned char)tok[n - 1]))
		return 0;
	for (size_t g = 0; geo[g]; g++) {
		if (strncmp(tok, geo[g], 2) != 0)
			continue;
		const char *rest = tok + 2;
		if (strncmp(rest, "gov", 3) == 0)
			rest += 3;
		for (size_t d = 0; dir[d]; d++) {
			size_t dl = strlen(dir[d]);
			if (strncmp(rest, dir[d], dl) == 0 && strspn(rest + dl, "0123456789") == strlen(rest + dl) &&
			    rest[dl] != '\0')
				return 1;
		}
	}
	return 0;
}

/* Number of tokens at tok[i] that spell a region ("us" "east" "1", "us" "gov" "west" "1"), or 0. */
static size_t sns_region_at(const char *const *tok, size_t n, size_t i)
{
	for (size_t k = 4; k >= 3; k--) {
		char region[64];
		size_t rl = 0;
		if (i + k > n)
			continue;
		for (size_t j = 0; j < k; j++) {
			int w = snprintf(region + rl, sizeof(region) - rl, "%s%s", j ? "-" : "", tok[i + j]);
			if (w < 0 || (size_t)w >= sizeof(region) - rl)
				return 0;
			rl += (size_t)w;
		}
		enum aws_region_status st = aws_region_check(region);
		if (st == AWS_REGION_KNOWN || st == AWS_REGION_WELL_FORMED)
			return k;
	}
	return 0;
}

/*
 * Split `name` into lowercase tokens on '-', '_' and '.', drop environment,
 * region and stack words, and join the rest with '-'. *scope receives the
 * first environment or stack word dropped (NULL when none).
 */
static const char *sns_purpose(struct pol_ctx *c, const char *name, const char *logical, const char **scope)
{
	struct arena *a = pol_arena(c);
	char *buf = arena_strdup(a, name);
	const char *tok[SNS_MAX_TOKENS];
	size_t n = 0;
	const char *stack = pol_stack(c) ? pol_stack(c)->stack : "";
	*scope = NULL;
	if (!buf)
		return NULL;
	/* Pulumi auto-naming appends "-" and 7 random hex digits to the logical name. */
	size_t bl = strlen(buf), ll = logical ? strlen(logical) : 0;
	if (ll && bl == ll + 8 && strncmp(buf, logical, ll) == 0 && buf[ll] == '-' && sns_all_hex(buf + ll + 1, 7))
		buf[ll] = '\0';
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (char *p = buf, *start = buf;; p++) {
		if (*p == '-' || *p == '_' || *p == '.' || *p == '\0') {
			int end = *p == '\0';
			*p = '\0';
			if (*start && n < SNS_MAX_TOKENS)
				tok[n++] = start;
			start = p + 1;
			if (end)
				break;
		}
	}
	char *out = arena_alloc(a, strlen(name) + 1);
	size_t used = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t skip = sns_region_at(tok, n, i);
		if (skip) {
			i += skip;
			continue;
		}
		if (sns_is_compact_region(tok[i])) {
			i++;
			continue;
		}
		if (sns_is_env_token(c, tok[i]) || (*stack && strcmp(tok[i], stack) == 0)) {
			if (!*scope)
				*scope = arena_strdup(a, tok[i]);
			i++;
			continue;
		}
		used += (size_t)snprintf(out + used, strlen(name) + 1 - used, "%s%s", used ? "-" : "", tok[i]);
		i++;
	}
	return out;
}

static int sns_topic_shared(struct pol_ctx *c, const struct sns_topic *t)
{
	return (t->purpose && *t->purpose && pol_cfg_list_glob(c, "sharedTopicNames", t->purpose)) ||
	       pol_cfg_list_glob(c, "sharedTopicNames", t->name);
}

static void check_shared_topic(struct pol_ctx *c, const struct stk_index *s)
{
	const pv_value *names = pol_cfg(c, "sharedTopicNames");
	int single = pol_cfg_bool(c, "requireSingleTopicPerPurpose");
	if (pv_len(names) == 0 && !single)
		return;  /* nothing configured: the policy has no opinion */

	size_t n = 0, k = 0;
	const struct pol_resource *r;
	STK_FOREACH_TYPE(s, T_TOPIC, r)
		n++;
	if (n == 0)
		return;
	struct sns_topic *ts = arena_alloc(pol_arena(c), n * sizeof(*ts));
	if (!ts)
		return;
	STK_FOREACH_TYPE(s, T_TOPIC, r) {
		const pv_value *nv = pv_get(r->props, "name");
		const char *name = pv_str(nv);
		if (pv_kind(nv) == PV_UNKNOWN)
			pol_unknown(c, "name");
		ts[k].r = r;
		ts[k].name = name && *name ? name : r->name;
		ts[k].purpose = sns_purpose(c, ts[k].name, r->name, &ts[k].scope);
		k++;
	}

	for (size_t i = 0; i < n; i++) {
		struct sns_topic *t = &ts[i];
		int shared = sns_topic_shared(c, t);
		if (!t->purpose || !*t->purpose || (!shared && !single))
			continue;
		/* Another topic of the stack with the same purpose: one per environment/region. */
		const struct sns_topic *first = NULL;
		for (size_t j = 0; j < i && !first; j++)
			if (ts[j].purpose && strcmp(ts[j].purpose, t->purpose) == 0)
				first = &ts[j];
		if (first) {
			pol_report(c, t->r->urn, "name",
				   "topics %s (\"%s\") and %s (\"%s\") are copies of the same notification topic \"%s\" "
				   "per environment or region, but the configuration requires one shared topic: create it "
				   "once (in the primary region/account), allow the other environments to publish through "
				   "its topic policy, and pass its ARN to them (stack reference or config).",
				   first->r->name, first->name, t->r->name, t->name, t->purpose);
			continue;
		}
		/* A topic that must be shared, but whose name ties it to one environment or stack. */
		if (shared && t->scope)
			pol_report(c, t->r->urn, "name",
				   "topic %s (\"%s\") must be the shared \"%s\" topic (sharedTopicNames), but its name is "
				   "scoped to \"%s\", so every environment gets its own copy: create one shared topic in "
				   "a shared stack and reference its ARN here.", t->r->name, t->name, t->purpose, t->scope);
	}
}

/* ---- sns-topic-encrypted ---------------------------------------------------------------- */

static void check_topic_encrypted(struct pol_ctx *c, const struct pol_resource *r)
{
	const pv_value *k = pv_get(r->props, "kmsMasterKeyId");
	if (pv_kind(k) == PV_UNKNOWN) {
		pol_unknown(c, "kmsMasterKeyId");
		return;
	}
	if (!pv_str(k) || !*pv_str(k))
		pol_report(c, NULL, "kmsMasterKeyId",
			   "kmsMasterKeyId is not set, so messages are stored unencrypted at rest: set kmsMasterKeyId "
			   "to a customer-managed KMS key whose key policy allows the publishing services (CloudWatch "
			   "alarms, EventBridge and S3 cannot use the AWS managed key alias/aws/sns; it only suits "
			   "topics that applications publish to).");
}

/* ---- the table -------------------------------------------------------------------------------- */

static const struct pol_doc doc_shared = {
	.why = "Seed 004 #4: the program created one SNS topic per environment and region instead of the shared cross-environment topic for application errors that was required, so alerts were scattered over several topics nobody subscribed to. Whether a topic must be shared is configuration: list such topics in sharedTopicNames (or set requireSingleTopicPerPurpose).",
	.fail_ts = "for (const env of [\"dev\", \"staging\", \"prod\"]) {\n  new aws.sns.Topic(`app-errors-${env}`);\n}",
	.fixed_ts = "const appErrors = new aws.sns.Topic(\"app-errors\", { kmsMasterKeyId: alertsKey.arn });\n// other environments: new pulumi.StackReference(\"org/shared/prod\").getOutput(\"appErrorsTopicArn\")",
	.fail_py = "for env in [\"dev\", \"staging\", \"prod\"]:\n    aws.sns.Topic(f\"app-errors-{env}\")",
	.fixed_py = "app_errors = aws.sns.Topic(\"app-errors\", kms_master_key_id=alerts_key.arn)\npulumi.export(\"app_errors_topic_arn\", app_errors.arn)",
};

static const struct pol_doc doc_encrypted = {
	.why = "Alert and event topics in the seeds carried application data without encryption at rest.",
	.fail_ts = "new aws.sns.Topic(\"alerts\");",
	.fixed_ts = "// key policy allows cloudwatch.amazonaws.com / events.amazonaws.com kms:Decrypt + kms:GenerateDataKey*\nnew aws.sns.Topic(\"alerts\", { kmsMasterKeyId: alertsKey.arn });",
	.fail_py = "aws.sns.Topic(\"alerts\")",
	.fixed_py = "# key policy allows cloudwatch.amazonaws.com / events.amazonaws.com kms:Decrypt + kms:GenerateDataKey*\naws.sns.Topic(\"alerts\", kms_master_key_id=alerts_key.arn)",
};

static const struct policy policies[] = {
	{
		.name = "sns-shared-topic",
		.display_name = "Shared SNS topics are not duplicated per environment or region",
		.description = "Topics that the configuration declares shared (sharedTopicNames, or every purpose with requireSingleTopicPerPurpose) must exist once, not once per environment or region.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(T_TOPIC),
		.config_schema = "{\"sharedTopicNames\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"default\": [], "
			"\"description\": \"Glob patterns of topic purposes (names without environment, region and stack words, e.g. \\\"app-errors\\\") that must be one shared topic. Empty = no topic is required to be shared.\"}, "
			"\"requireSingleTopicPerPurpose\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Treat every topic as shared: two topics whose names differ only by environment or region words are a violation.\"}, "
			"\"environmentTokens\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
			"\"default\": [\"dev\", \"development\", \"test\", \"testing\", \"qa\", \"uat\", \"stage\", \"staging\", \"stg\", \"preprod\", \"prod\", \"production\", \"prd\", \"sandbox\"], "
			"\"description\": \"Name words (lowercase) that denote an environment.\"}}",
		.remediation_steps = "Create the shared topic once (one stack, primary region), grant the other environments sns:Publish in its topic policy, and pass its ARN to them through a stack reference or config instead of creating a topic per environment.",
		.tags = "sns,multi-environment,observability",
		.url = "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
		.check_stack = check_shared_topic,
		.doc = &doc_shared,
	},
	{
		.name = "sns-topic-encrypted",
		.display_name = "SNS topics encrypted at rest",
		.description = "SNS topics should be encrypted with a KMS key.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES(T_TOPIC),
		.config_schema = NULL,
		.remediation_steps = "Set kmsMasterKeyId to a customer-managed KMS key whose key policy lets the publishing services use it (kms:Decrypt, kms:GenerateDataKey* for cloudwatch.amazonaws.com, events.amazonaws.com, s3.amazonaws.com, ...); alias/aws/sns only works for topics that applications publish to.",
		.tags = "sns,encryption",
		.url = "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
		.check = check_topic_encrypted,
		.doc = &doc_encrypted,
	},
};

const struct pol_family pol_family_sns = { "sns", policies, sizeof(policies) / sizeof(policies[0]) };
