/*
 * cloudwatch.c - policy family "cloudwatch": metric and composite alarms
 * (rule-catalog 3.F and 4.5).
 *
 * An alarm is only useful when it notifies someone: its actions must be
 * enabled, present, of a kind CloudWatch can invoke (SNS by default) and in
 * the alarm's own region. It is a stack policy because ARNs that are still
 * unknown in preview can only be judged through propertyDependencies (which
 * resource the ARN came from, and its region), and because children of a
 * composite alarm legitimately have no actions of their own.
 */
#include <math.h>
#include <string.h>

#include "arena.h"
#include "aws.h"
#include "iam.h"
#include "policy.h"
#include "stack.h"

#define T_METRIC "aws:cloudwatch/metricAlarm:MetricAlarm"
#define T_COMPOSITE "aws:cloudwatch/compositeAlarm:CompositeAlarm"
#define T_TOPIC "aws:sns/topic:Topic"
#define T_KEY "aws:kms/key:Key"
#define T_KEY_ALIAS "aws:kms/alias:Alias"
#define T_KEY_POLICY "aws:kms/keyPolicy:KeyPolicy"

static const char *const cw_action_lists[] = { "alarmActions", "okActions", "insufficientDataActions" };

/* Resource types whose ARN is a valid action of the given ARN service. */
static const struct {
	const char *service;
	const char *type;
} cw_action_types[] = {
	{ "sns", "aws:sns/topic:Topic" },
	{ "lambda", "aws:lambda/function:Function" },
	{ "lambda", "aws:lambda/alias:Alias" },
	{ "autoscaling", "aws:autoscaling/policy:Policy" },
	{ "autoscaling", "aws:appautoscaling/policy:Policy" },   /* Application Auto Scaling ARNs are arn:aws:autoscaling:... */
	{ "ssm-incidents", "aws:ssmincidents/responsePlan:ResponsePlan" },
};

static const char *cw_path(struct pol_ctx *c, const char *list, size_t i)
{
	const char *p = arena_printf(pol_arena(c), "%s[%zu]", list, i);
	return p ? p : list;
}

/* ---- cloudwatch-alarm-actions-valid ------------------------------------------------------- */

/*
 * Literal action ARN checks. Paths are arena strings (pol_unknown keeps them).
 * `report_urn` is the alarm (this is a stack policy).
 */
static void cw_check_action(struct pol_ctx *c, const char *urn, const char *path, const pv_value *v,
			    const char *region)
{
	const char *s = pv_str(v);
	int secret = pv_is_secret(v);
	const char *q = secret ? "" : "\"", *shown = secret ? "..." : s;
	struct aws_arn a;
	if (!s)
		return;
	if (aws_arn_parse(s, &a) != 0) {
		pol_report(c, urn, path, "%s is %s%s%s, which is not an ARN; alarm actions are ARNs: pass the SNS "
			   "topic's arn (topic.arn), not its name or id.", path, q, shown, q);
		return;
	}
	char *svc = arena_strndup(pol_arena(c), a.service, a.service_len);
	if (!svc)
		return;
	if (strcmp(svc, "iam") == 0) {
		const char *kind = strncmp(a.resource, "policy/", 7) == 0 ? "an IAM policy"
				 : strncmp(a.resource, "role/", 5) == 0 ? "an IAM role" : "an IAM entity";
		pol_report(c, urn, path, "%s is %s ARN, which CloudWatch cannot notify; nobody is alerted when the "
			   "alarm fires: put an SNS topic ARN (topic.arn) there and subscribe the operators to it.",
			   path, kind);
		return;
	}
	if (!pol_cfg_list_has(c, "allowedActionServices", svc)) {
		if (secret) {
			pol_report(c, urn, path, "%s is the ARN of a service that is not in allowedActionServices (SNS, Auto "
				   "Scaling and EC2 actions by default): notify an SNS topic and fan out from there.", path);
			return;
		}
		pol_report(c, urn, path, "%s is a%s %s ARN, but alarm actions here must be one of the services in "
			   "allowedActionServices (SNS, Auto Scaling and EC2 actions by default): notify an SNS topic and fan "
			   "out from there, or add the service to allowedActionServices if the action is deliberate.",
			   path, strchr("aeiou", svc[0]) ? "n" : "", svc);
		return;
	}
	/* Parts of a secret ARN are not quoted either. */
	if (region && a.region_len && !aws_field_eq(a.region, a.region_len, region))
		pol_report(c, urn, path, "%s is in %.*s but the alarm is in %s; CloudWatch rejects actions in another "
			   "region (\"Invalid region ... specified\"): create the topic with the alarm's provider.",
			   path, secret ? 16 : (int)a.region_len, secret ? "another region" : a.region, region);
	if (a.account_len && aws_is_placeholder_account(a.account, a.account_len))
		pol_report(c, urn, path, "%s uses the placeholder account %.*s: reference the real topic (topic.arn).",
			   path, secret ? 8 : (int)a.account_len, secret ? "[secret]" : a.account);
}

static const char *cw_allowed_service_of(const char *type)
{
	for (size_t i = 0; i < sizeof(cw_action_types) / sizeof(cw_action_types[0]); i++)
		if (strcmp(cw_action_types[i].type, type) == 0)
			return cw_action_types[i].service;
	return NULL;
}

/* Actions that are unknown in preview: judge the resources they come from. */
static void cw_check_action_deps(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *alarm,
				 const char *list_name, const char *region)
{
	const pv_value *list = pv_get(alarm->props, list_name);
	int unknown = pv_kind(list) == PV_UNKNOWN || pv_has_unknown(list);
	char *const *urns;
	size_t n = stk_prop_deps(alarm, list_name, &urns);
	for (size_t i = 0; i < n; i++) {
		const struct pol_resource *d = stk_by_urn(s, urns[i]);
		if (!d || strncmp(d->type, "aws:", 4) != 0)
			continue;  /* components and foreign packages: we cannot tell what they yield */
		const char *svc = cw_allowed_service_of(d->type);
		if (svc && pol_cfg_list_has(c, "allowedActionServices", svc)) {
			const char *dreg = NULL;
			if (region && pol_region(c, d, &dreg) == PV_OK && strcmp(dreg, region) != 0)
				pol_report(c, alarm->urn, list_name,
					   "alarm %s is in %s but its %s use %s %s in %s; CloudWatch only invokes "
					   "actions in the alarm's region: create it with the alarm's provider (one topic "
					   "per region), or move the alarm.", alarm->name, region, list_name, d->type,
					   d->name, dreg);
			continue;
		}
		if (!unknown)
			continue;  /* known values are judged by their ARN */
		pol_report(c, alarm->urn, list_name,
			   "alarm %s takes its %s from %s %s, which CloudWatch cannot notify (only resources of the "
			   "services in allowedActionServices, by default SNS topics, scaling policies and EC2 actions, can be "
			   "alarm actions): pass an "
			   "SNS topic's arn.", alarm->name, list_name, d->type, d->name);
	}
}

/*
 * Is `alarm` a child of a composite alarm of the stack (its alarmRule names
 * it, or is built from it)? Children legitimately have no actions: the
 * composite notifies. 1 yes, 0 no, -1 cannot say (a rule is unknown).
 */
static int cw_composite_child(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *alarm)
{
	const struct pol_resource *comp;
	const char *name = pv_str(pv_get(alarm->props, strcmp(alarm->type, T_METRIC) == 0 ? "name" : "alarmName"));
	int maybe = 0;
	STK_FOREACH_TYPE(s, T_COMPOSITE, comp) {
		char *const *urns;
		size_t n = stk_prop_deps(comp, "alarmRule", &urns);
		if (comp == alarm)
			continue;
		for (size_t i = 0; i < n; i++)
			if (strcmp(urns[i], alarm->urn) == 0)
				return 1;
		const pv_value *rv = pv_get(comp->props, "alarmRule");
		const char *rule = pv_str(rv);
		if (pv_kind(rv) == PV_UNKNOWN && n == 0)
			maybe = 1;
		if (!rule || !name || !*name)
			continue;
		/* ALARM(name), ALARM("name"), ALARM('name') or the alarm's ARN (...:alarm:name). */
		const char *forms[] = { "(%s)", "(\"%s\")", "('%s')", ":alarm:%s)", ":alarm:%s\")" };
		for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
			const char *needle = arena_printf(pol_arena(c), forms[f], name);
			if (needle && strstr(rule, needle))
				return 1;
		}
	}
	return maybe ? -1 : 0;
}

/* ---- encrypted alert topics ------------------------------------------------------------------ */

/* "alias/aws/sns" or its ARN: the AWS managed key of SNS, whose key policy no service can be added to. */
static int cw_is_sns_managed_key(const char *k)
{
	size_t n = strlen(k);
	return strcmp(k, "alias/aws/sns") == 0 || (n > 14 && strcmp(k + n - 14, ":alias/aws/sns") == 0);
}

/*
 * Does a key policy let CloudWatch use the key (kms:Decrypt and
 * kms:GenerateDataKey* for the cloudwatch.amazonaws.com service principal,
 * or for "*")? 1 yes, 0 no, -1 cannot tell.
 */
static int cw_key_allows_cloudwatch(struct pol_ctx *c, const pv_value *policy)
{
	static const char *const actions[] = { "kms:Decrypt", "kms:GenerateDataKey", NULL };
	/* No policy at all: the default key policy trusts only the account's IAM principals. */
	return iam_doc_allows_service(pol_iam_doc(c, policy), "cloudwatch.amazonaws.com", actions);
}

/* The key policy in effect: a separate aws.kms.KeyPolicy for the key wins over the key's own policy. */
static const pv_value *cw_key_policy(const struct stk_index *s, const struct pol_resource *key)
{
	static const char *const key_ids[] = { "arn", "id", "keyId", NULL };
	const struct pol_resource *kp;
	STK_FOREACH_TYPE(s, T_KEY_POLICY, kp) {
		const char *v = pv_str(pv_get(kp->props, "keyId"));
		if (stk_depends_on(kp, key->urn) || (v && stk_out_eq(key, key_ids, v)))
			return pv_get(kp->props, "policy");
	}
	return pv_get(key->props, "policy");
}

/*
 * CloudWatch publishes to an encrypted topic with the topic's KMS key, so the
 * key policy must let cloudwatch.amazonaws.com use it. The AWS managed key
 * alias/aws/sns never does: notifications are silently dropped (the alarm
 * history shows a KMS access-denied failure), nobody is paged.
 */
static void cw_check_topic_keys(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *alarm)
{
	const struct pol_resource *seen[8];
	size_t n_seen = 0;

	for (size_t l = 0; l < 3; l++) {
		const pv_value *list = pv_get(alarm->props, cw_action_lists[l]), *e;
		char *const *urns;
		size_t n = stk_prop_deps(alarm, cw_action_lists[l], &urns);
		for (size_t i = 0; i < n + pv_len(list); i++) {
			const struct pol_resource *t = NULL;
			if (i < n) {
				t = stk_by_urn(s, urns[i]);
			} else if ((e = pv_at(list, i - n)) != NULL && pv_str(e)) {
				static const char *const topic_ids[] = { "arn", "id", NULL };
				t = stk_find_eq(s, T_TOPIC, topic_ids, pv_str(e), STK_LAST);
			}
			if (!t || strcmp(t->type, T_TOPIC) != 0)
				continue;
			size_t k;
			for (k = 0; k < n_seen && seen[k] != t; k++)
				;
			if (k < n_seen || n_seen == sizeof(seen) / sizeof(seen[0]))
				continue;
			seen[n_seen++] = t;

			const pv_value *kv = pv_get(t->props, "kmsMasterKeyId");
			const char *kid = pv_str(kv);
			if (kid && cw_is_sns_managed_key(kid)) {
				pol_report(c, alarm->urn, cw_action_lists[l],
					   "alarm %s notifies SNS topic %s, which is encrypted with the AWS managed key "
					   "alias/aws/sns; CloudWatch cannot use that key, so every notification is dropped: "
					   "encrypt the topic with a customer-managed KMS key whose key policy allows "
					   "cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*.", alarm->name, t->name);
				continue;
			}
			if (pv_kind(kv) != PV_UNKNOWN && (!kid || !*kid))
				continue;       /* unencrypted topic: nothing to grant */
			const struct pol_resource *key = stk_kms_key(s, t, "kmsMasterKeyId");
			if (!key) {
				if (pv_kind(kv) == PV_UNKNOWN)
					pol_unknown(c, "kmsMasterKeyId");
				continue;
			}
			int ok = cw_key_allows_cloudwatch(c, cw_key_policy(s, key));
			if (ok < 0)
				pol_unknown(c, "policy");
			else if (!ok)
				pol_report(c, alarm->urn, cw_action_lists[l],
					   "alarm %s notifies SNS topic %s, encrypted with KMS key %s whose key policy does not "
					   "let cloudwatch.amazonaws.com use it, so every notification is dropped: add a key policy "
					   "statement allowing Principal {\"Service\": \"cloudwatch.amazonaws.com\"} kms:Decrypt and "
					   "kms:GenerateDataKey*.", alarm->name, t->name, key->name);
		}
	}
}

static void cw_check_alarm(struct pol_ctx *c, const struct stk_index *s, const struct pol_resource *r)
{
	const char *region = NULL;
	int rrc = pol_region(c, r, &region);
	if (rrc != PV_OK)
		region = NULL;

	int on = 1;
	int rc = pv_get_bool(pv_get(r->props, "actionsEnabled"), &on);
	if (rc == PV_EUNKNOWN)
		pol_unknown(c, "actionsEnabled");
	else if (rc == PV_OK && !on)
		pol_report(c, r->urn, "actionsEnabled", "alarm %s has actionsEnabled: false, so it changes state "
			   "without notifying anyone: remove actionsEnabled or set it to true.", r->name);

	const pv_value *aa = pv_get(r->props, "alarmActions");
	enum pv_kind ak = pv_kind(aa);
	if (ak == PV_UNKNOWN) {
		pol_unknown(c, "alarmActions");
	} else if (ak != PV_LIST || pv_len(aa) == 0) {
		int child = cw_composite_child(c, s, r);
		if (child < 0)
			pol_unknown(c, "alarmRule");
		else if (!child)
			pol_report(c, r->urn, "alarmActions", "alarm %s has %s alarmActions, so nobody is notified when "
				   "it fires: set alarmActions: [topic.arn] with an SNS topic the operators subscribe "
				   "to (or make it a child of a composite alarm that notifies).",
				   r->name, ak == PV_LIST ? "empty" : "no");
	}
	if (pol_cfg_bool(c, "requireOkActions")) {
		const pv_value *ok = pv_get(r->props, "okActions");
		if (pv_kind(ok) != PV_UNKNOWN && pv_len(ok) == 0 && pv_len(aa) > 0)
			pol_report(c, r->urn, "okActions", "alarm %s has no okActions, so recovery is never announced: "
				   "set okActions: [topic.arn].", r->name);
	}

	for (size_t l = 0; l < 3; l++) {
		const pv_value *list = pv_get(r->props, cw_action_lists[l]), *e;
		if (pv_kind(list) != PV_UNKNOWN) {
			PV_LIST_FOREACH(i, e, list) {
				const char *path = cw_path(c, cw_action_lists[l], i);
				if (pv_kind(e) == PV_UNKNOWN) {
					pol_unknown(c, path);
					continue;
				}
				if (pv_str(e) && !region && rrc == PV_EUNKNOWN)
					pol_unknown(c, "region");
				cw_check_action(c, r->urn, path, e, region);
			}
		}
		cw_check_action_deps(c, s, r, cw_action_lists[l], region);
	}
	cw_check_topic_keys(c, s, r);
}

static void check_alarm_actions(struct pol_ctx *c, const struct stk_index *s)
{
	const struct pol_resource *a;
	STK_FOREACH_TYPE(s, T_METRIC, a)
		cw_check_alarm(c, s, a);
	STK_FOREACH_TYPE(s, T_COMPOSITE, a)
		cw_check_alarm(c, s, a);
}

/* ---- cloudwatch-alarm-treat-missing-data ----------------------------------------------------- */

static void check_treat_missing_data(struct pol_ctx *c, const struct pol_resource *r)
{
	const pv_value *v = pv_get(r->props, "treatMissingData");
	const char *s = pv_str(v);
	if (pv_kind(v) == PV_UNKNOWN) {
		pol_unknown(c, "treatMissingData");
		return;
	}
	/* A bridged provider fills in the schema default "missing" and lists it in __defaults: still not chosen. */
	if (!s || !*s || pv_is_defaulted(r->props, "treatMissingData")) {
		pol_report(c, NULL, "treatMissingData",
			   "treatMissingData is not set, so gaps in the metric (no invocations, a stopped host) leave the "
			   "alarm in INSUFFICIENT_DATA or keep its old state: choose \"notBreaching\", \"breaching\", "
			   "\"ignore\" or \"missing\" deliberately.");
		return;
	}
	if (!pol_cfg_list_has(c, "allowedValues", s))
		pol_report(c, NULL, "treatMissingData",
			   "treatMissingData is \"%s\", which is not one of the allowed values (allowedValues; CloudWatch "
			   "accepts breaching, notBreaching, ignore, missing).", pv_is_secret(v) ? "..." : s);
}

/* ---- cloudwatch-alarm-sane-thresholds ---------------------------------------------------------- */

static const char *const cw_operators[] = {
	"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
	"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold", NULL,
};

static int cw_in(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static void check_sane_thresholds(struct pol_ctx *c, const struct pol_resource *r)
{
	const pv_value *p = r->props;
	const char *op = pv_str(pv_get(p, "comparisonOperator"));
	const char *metric = pv_str(pv_get(p, "metricName"));
	const char *stat = pv_str(pv_get(p, "statistic"));
	double threshold = 0, periods = 0, dps = 0, period = 0;
	int has_threshold = pv_get_num(pv_get(p, "threshold"), &threshold) == PV_OK;
	int threshold_unknown = pv_kind(pv_get(p, "threshold")) == PV_UNKNOWN;
	int has_tmid = pv_kind(pv_get(p, "thresholdMetricId")) != PV_MISSING;
	int anomaly = op && strstr(op, "Lower") != NULL;
	int has_periods = pv_get_num(pv_get(p, "evaluationPeriods"), &periods) == PV_OK;
	int has_queries = pv_len(pv_get(p, "metricQueries")) > 0;

	if (op && !cw_in(cw_operators, op))
		pol_report(c, NULL, "comparisonOperator", "comparisonOperator \"%s\" is not a CloudWatch operator: use "
			   "GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or "
			   "LessThanOrEqualToThreshold.", op);
	if (anomaly && !has_tmid)
		pol_report(c, NULL, "thresholdMetricId", "comparisonOperator %s needs thresholdMetricId pointing at an "
			   "ANOMALY_DETECTION_BAND metric query.", op);
	if (!anomaly && !has_threshold && !threshold_unknown && !has_tmid)
		pol_report(c, NULL, "threshold", "the alarm has no threshold: set threshold to the value that means "
			   "trouble for this metric.");
	if (has_periods && periods < 1)
		pol_report(c, NULL, "evaluationPeriods", "evaluationPeriods is %g; it must be at least 1.", periods);
	if (has_periods && pv_get_num(pv_get(p, "datapointsToAlarm"), &dps) == PV_OK && dps > periods)
		pol_report(c, NULL, "datapointsToAlarm", "datapointsToAlarm (%g) is larger than evaluationPeriods (%g), "
			   "so the alarm can never fire: use M out of N with M <= N.", dps, periods);
	if (pv_get_num(pv_get(p, "period"), &period) == PV_OK && !(period == 10 || period == 20 || period == 30 ||
	    (period >= 60 && period <= 1e15 && fmod(period, 60.0) == 0.0)))
		pol_report(c, NULL, "period", "period is %g seconds; CloudWatch accepts 10, 20, 30 or a multiple of 60.",
			   period);
	if (metric && !has_queries && !stat && pv_kind(pv_get(p, "extendedStatistic")) == PV_MISSING &&
	    pv_kind(pv_get(p, "statistic")) != PV_UNKNOWN)
		pol_report(c, NULL, "statistic", "metricName %s has neither statistic nor extendedStatistic: set "
			   "statistic (Sum for counts, Average/Maximum for gauges) or extendedStatistic (p99).", metric);
	if (metric && has_threshold && pol_cfg_list_glob(c, "percentMetrics", metric) && (threshold < 0 || threshold > 100))
		pol_report(c, NULL, "threshold", "threshold %g is outside 0-100 for the percentage metric %s.",
			   threshold, metric);
	/* One occurrence in one period pages someone: usually noise, not an SLO. */
	if (metric && has_threshold && pol_cfg_bool(c, "flagSingleEventAlarms") && stat && strcmp(stat, "Sum") == 0 &&
	    pol_cfg_list_glob(c, "countMetrics", metric) && (!has_periods || periods <= 1) &&
	    op && ((strcmp(op, "GreaterThanOrEqualToThreshold") == 0 && threshold <= 1) ||
		   (strcmp(op, "GreaterThanThreshold") == 0 && threshold < 1)))
		pol_report(c, NULL, "threshold", "the alarm fires as soon as one period's %s sum reaches %g "
			   "(evaluationPeriods 1), paging on every isolated occurrence: derive the threshold from the SLO "
			   "(an error rate via metricQueries, or a count over several datapoints with datapointsToAlarm).",
			   metric, threshold);
}

/* ---- cloudwatch-alarm-metric-region ------------------------------------------------------------ */

/*
 * Metrics that AWS publishes in one region only, whatever region the
 * resource serves (CloudWatch user guide: billing metrics, CloudFront
 * metrics, Trusted Advisor metrics in us-east-1; Global Accelerator metrics
 * in us-west-2). An alarm elsewhere never leaves INSUFFICIENT_DATA. Route 53
 * health-check metrics are judged by route53-health-check-valid.
 */
static const struct {
	const char *ns;
	const char *region;
	const char *what;
} cw_global_metrics[] = {
	{ "AWS/Billing", "us-east-1", "billing metrics (EstimatedCharges)" },
	{ "AWS/CloudFront", "us-east-1", "CloudFront metrics" },
	{ "AWS/TrustedAdvisor", "us-east-1", "Trusted Advisor metrics" },
	{ "AWS/GlobalAccelerator", "us-west-2", "Global Accelerator metrics" },
};

static void check_metric_region(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *nss[16];
	size_t n = 0;
	const pv_value *q;
	const char *ns = pv_str(pv_get(r->props, "namespace")), *region;

	if (ns)
		nss[n++] = ns;
	PV_LIST_FOREACH(i, q, pv_get(r->props, "metricQueries")) {
		const pv_value *m = pv_get(q, "metric");
		if (pv_kind(m) == PV_LIST)
			m = pv_at(m, 0);
		if ((ns = pv_str(pv_get(m, "namespace"))) != NULL && n < sizeof(nss) / sizeof(nss[0]))
			nss[n++] = ns;
	}
	for (size_t k = 0; k < sizeof(cw_global_metrics) / sizeof(cw_global_metrics[0]); k++) {
		int uses = 0;
		for (size_t i = 0; i < n; i++)
			uses |= strcmp(nss[i], cw_global_metrics[k].ns) == 0;
		if (!uses)
			continue;
		int rc = pol_region(c, r, &region);
		if (rc == PV_EUNKNOWN) {
			pol_unknown(c, "region");
			return;
		}
		if (rc == PV_OK && strcmp(region, cw_global_metrics[k].region) != 0)
			pol_report(c, NULL, "namespace", "the alarm watches %s (%s), which AWS publishes only in %s, but it "
				   "is created in %s, so it never leaves INSUFFICIENT_DATA: create it (and the SNS topic of its "
				   "actions) with a %s provider.", cw_global_metrics[k].ns, cw_global_metrics[k].what,
				   cw_global_metrics[k].region, region, cw_global_metrics[k].region);
		return;
	}
}

/* ---- the table -------------------------------------------------------------------------------- */

static const struct pol_doc doc_actions = {
	.why = "Seed 001 #10 and 003 #8: alarms had no actions, an empty alarmActions list, or an IAM policy ARN as action, so nobody was notified; CloudWatch also rejects actions in another region. Literal ARNs are judged by their service and region; ARNs still unknown in preview by the resource they come from (propertyDependencies). Children of a composite alarm may have no actions. A topic encrypted with alias/aws/sns (or a key whose policy does not admit cloudwatch.amazonaws.com) silently drops every notification.",
	.fail_ts = "new aws.cloudwatch.MetricAlarm(\"cpu\", { alarmActions: [policy.arn], /* ... */ });",
	.fixed_ts = "new aws.cloudwatch.MetricAlarm(\"cpu\", { alarmActions: [alerts.arn], okActions: [alerts.arn], /* ... */ });",
	.fail_py = "aws.cloudwatch.MetricAlarm(\"cpu\", alarm_actions=[], ...)",
	.fixed_py = "aws.cloudwatch.MetricAlarm(\"cpu\", alarm_actions=[alerts.arn], ok_actions=[alerts.arn], ...)",
};

static const struct pol_doc doc_missing = {
	.why = "Seed 001 #10: alarm configuration was generic. Without treatMissingData, a function that stops being invoked leaves its error alarm in INSUFFICIENT_DATA instead of a deliberate state.",
	.fail_ts = "new aws.cloudwatch.MetricAlarm(\"errors\", { /* no treatMissingData */ });",
	.fixed_ts = "new aws.cloudwatch.MetricAlarm(\"errors\", { treatMissingData: \"notBreaching\", /* ... */ });",
	.fail_py = "aws.cloudwatch.MetricAlarm(\"errors\", ...)",
	.fixed_py = "aws.cloudwatch.MetricAlarm(\"errors\", treat_missing_data=\"notBreaching\", ...)",
};

static const struct pol_doc doc_thresholds = {
	.why = "Seed 001 #10: alarms used threshold=1 on error counts with one evaluation period, which pages on every single error. Also catches settings CloudWatch rejects or that can never fire.",
	.fail_ts = "new aws.cloudwatch.MetricAlarm(\"errors\", { metricName: \"Errors\", namespace: \"AWS/Lambda\", statistic: \"Sum\",\n  period: 60, evaluationPeriods: 1, threshold: 1, comparisonOperator: \"GreaterThanOrEqualToThreshold\" });",
	.fixed_ts = "new aws.cloudwatch.MetricAlarm(\"errors\", { metricName: \"Errors\", namespace: \"AWS/Lambda\", statistic: \"Sum\",\n  period: 60, evaluationPeriods: 5, datapointsToAlarm: 3, threshold: 5, comparisonOperator: \"GreaterThanThreshold\" });",
	.fail_py = "aws.cloudwatch.MetricAlarm(\"errors\", metric_name=\"Errors\", statistic=\"Sum\", period=60,\n    evaluation_periods=1, threshold=1, comparison_operator=\"GreaterThanOrEqualToThreshold\")",
	.fixed_py = "aws.cloudwatch.MetricAlarm(\"errors\", metric_name=\"Errors\", statistic=\"Sum\", period=60,\n    evaluation_periods=5, datapoints_to_alarm=3, threshold=5, comparison_operator=\"GreaterThanThreshold\")",
};

static const struct pol_doc doc_metric_region = {
	.why = "Alarms on billing (EstimatedCharges), CloudFront or Trusted Advisor metrics were created with the application's regional provider. Those metrics exist only in us-east-1 (Global Accelerator: us-west-2), so the alarm sits in INSUFFICIENT_DATA forever and nobody is told when the budget or the CDN breaks.",
	.fail_ts = "new aws.cloudwatch.MetricAlarm(\"billing\", { namespace: \"AWS/Billing\", metricName: \"EstimatedCharges\", /* ... */ }, { provider: euWest1 });",
	.fixed_ts = "new aws.cloudwatch.MetricAlarm(\"billing\", { namespace: \"AWS/Billing\", metricName: \"EstimatedCharges\", /* ... */ }, { provider: usEast1 });",
	.fail_py = "aws.cloudwatch.MetricAlarm(\"billing\", namespace=\"AWS/Billing\", metric_name=\"EstimatedCharges\", ...,\n    opts=pulumi.ResourceOptions(provider=eu_west_1))",
	.fixed_py = "aws.cloudwatch.MetricAlarm(\"billing\", namespace=\"AWS/Billing\", metric_name=\"EstimatedCharges\", ...,\n    opts=pulumi.ResourceOptions(provider=us_east_1))",
};

static const struct policy policies[] = {
	{
		.name = "cloudwatch-alarm-actions-valid",
		.display_name = "CloudWatch alarms notify through valid actions",
		.description = "CloudWatch alarms must have enabled alarm actions (unless a composite alarm notifies for them) that are ARNs of allowed services (SNS topics, scaling policies and EC2 actions by default), come from such resources, live in the alarm's region, and (for encrypted topics) use a KMS key CloudWatch may use.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_METRIC, T_COMPOSITE, T_TOPIC, T_KEY, T_KEY_ALIAS, T_KEY_POLICY),
		.config_schema = "{\"allowedActionServices\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"default\": [\"sns\", \"autoscaling\", \"automate\", \"swf\"], "
			"\"description\": \"ARN services accepted as alarm actions: SNS topics (notifications), Auto Scaling and Application Auto Scaling policies (autoscaling) and EC2 actions (automate, swf) by default; add lambda, ssm, ssm-incidents or aiops as needed.\"}, "
			"\"requireOkActions\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Also require okActions so recoveries are announced.\"}}",
		.remediation_steps = "Create an aws.sns.Topic with the alarm's provider, subscribe the operators, and set alarmActions: [topic.arn] (and okActions); do not set actionsEnabled: false; never pass IAM policy or role ARNs; encrypt alert topics with a customer-managed KMS key whose key policy allows cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* (not alias/aws/sns).",
		.tags = "cloudwatch,alarms,observability",
		.url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
		.check_stack = check_alarm_actions,
		.doc = &doc_actions,
	},
	{
		.name = "cloudwatch-alarm-treat-missing-data",
		.display_name = "CloudWatch alarms say how to treat missing data",
		.description = "Metric alarms must set treatMissingData explicitly to an allowed value.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES(T_METRIC),
		.config_schema = "{\"allowedValues\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
			"\"default\": [\"breaching\", \"notBreaching\", \"ignore\", \"missing\"], "
			"\"description\": \"treatMissingData values accepted.\"}}",
		.remediation_steps = "Set treatMissingData: \"notBreaching\" for error/latency alarms of on-demand workloads, \"breaching\" for heartbeat-style metrics.",
		.tags = "cloudwatch,alarms,observability",
		.url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data",
		.check = check_treat_missing_data,
		.doc = &doc_missing,
	},
	{
		.name = "cloudwatch-alarm-sane-thresholds",
		.display_name = "CloudWatch alarm thresholds are sensible",
		.description = "Metric alarms should have a threshold and evaluation settings CloudWatch accepts and that do not page on a single event.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES(T_METRIC),
		.config_schema = "{\"percentMetrics\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
			"\"default\": [\"*Utilization*\", \"*Percent*\", \"*Percentage*\"], "
			"\"description\": \"Glob patterns of metric names measured in percent (threshold must be 0-100).\"}, "
			"\"countMetrics\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, "
			"\"default\": [\"Errors\", \"Throttles\", \"*5XX*\", \"*5xx*\", \"*4XX*\", \"*Fault*\", \"*Error*\", \"DeadLetterErrors\"], "
			"\"description\": \"Glob patterns of count metrics for which a Sum threshold of 1 over one period is flagged.\"}, "
			"\"flagSingleEventAlarms\": {\"type\": \"boolean\", \"default\": true, "
			"\"description\": \"Flag count alarms that fire on a single occurrence in one evaluation period.\"}}",
		.remediation_steps = "Derive thresholds from the SLO: alarm on an error rate (metricQueries) or on several datapoints (evaluationPeriods/datapointsToAlarm); use a period of 10/20/30 s or a multiple of 60.",
		.tags = "cloudwatch,alarms,observability",
		.url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html",
		.check = check_sane_thresholds,
		.doc = &doc_thresholds,
	},
	{
		.name = "cloudwatch-alarm-metric-region",
		.display_name = "CloudWatch alarms on single-region metrics live in that region",
		.description = "Alarms on metrics AWS publishes in one region only (billing, CloudFront and Trusted Advisor metrics in us-east-1, Global Accelerator in us-west-2) must be created in that region.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(T_METRIC),
		.config_schema = NULL,
		.remediation_steps = "Create the alarm, and the SNS topic it notifies, with a provider (or v7 region) for us-east-1 (us-west-2 for Global Accelerator).",
		.tags = "cloudwatch,alarms,regions",
		.url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/monitor_estimated_charges_with_cloudwatch.html",
		.check = check_metric_region,
		.doc = &doc_metric_region,
	},
};

const struct pol_family pol_family_cloudwatch = { "cloudwatch", policies, sizeof(policies) / sizeof(policies[0]) };
