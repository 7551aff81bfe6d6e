/*
 * awsconfig.c - policy family "awsconfig" (see families.h): AWS Config
 * recorders, delivery channels, recorder status and aggregation.
 *
 * AWS Config allows one recorder and one delivery channel per account and
 * region, so everything is grouped by (effective region, account). The
 * account comes from the provider: allowedAccountIds with one element, else
 * the account of the (last) assumed role, else the named profile; when none
 * is known, resources of one region are assumed to share an account.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "aws.h"
#include "policy.h"
#include "stack.h"

#define CFG_RECORDER "aws:cfg/recorder:Recorder"
#define CFG_CHANNEL "aws:cfg/deliveryChannel:DeliveryChannel"
#define CFG_STATUS "aws:cfg/recorderStatus:RecorderStatus"
#define CFG_AGG "aws:cfg/configurationAggregator:ConfigurationAggregator"
#define CFG_AUTH "aws:cfg/aggregateAuthorization:AggregateAuthorization"

enum cfg_kind { CFG_K_RECORDER, CFG_K_CHANNEL, CFG_K_STATUS, CFG_K_AGG, CFG_K_AUTH };

struct cfg_item {
	const struct pol_resource *r;
	enum cfg_kind kind;
	const char *region;     /* effective region */
	const char *acct;       /* account key ("" when unknown) */
	int acct_secret;        /* the account came from a secret provider input: never print it */
};

struct cfg_set {
	size_t n;
	struct cfg_item *v;
};

/* A MaxItems-1 block: the object itself, or the first element of a list. */
static const pv_value *cfg_one(const pv_value *v)
{
	if (pv_kind(v) == PV_LIST)
		return pv_at(v, 0);
	return v;
}

/* Account of an ARN string, copied; NULL when it has none. */
static const char *cfg_arn_account(struct arena *a, const char *arn)
{
	struct aws_arn p;
	if (!arn || aws_arn_parse(arn, &p) != 0 || !aws_is_account_id(p.account, p.account_len))
		return NULL;
	return arena_strndup(a, p.account, p.account_len);
}

/* Account key of a resource's provider (see the file comment); *secret set when it came from a secret. */
static const char *cfg_account(struct pol_ctx *c, const struct pol_resource *r, int *secret)
{
	struct arena *a = pol_arena(c);
	const pv_value *pp = r->provider_props;
	*secret = pv_is_secret(pv_get(pp, "allowedAccountIds")) || pv_is_secret(pv_get(pp, "assumeRoles")) ||
		  pv_is_secret(pv_get(pp, "assumeRole")) || pv_is_secret(pv_get(pp, "profile"));
	const pv_value *ids = pv_json(a, pv_get(pp, "allowedAccountIds"), NULL, NULL);
	if (pv_len(ids) == 1 && pv_str(pv_at(ids, 0)))
		return pv_str(pv_at(ids, 0));
	const pv_value *roles = pv_json(a, pv_get(pp, "assumeRoles"), NULL, NULL);
	if (pv_len(roles) > 0) {
		const char *acct = cfg_arn_account(a, pv_str(pv_get(pv_at(roles, pv_len(roles) - 1), "roleArn")));
		if (acct)
			return acct;
	}
	const pv_value *role = pv_json(a, pv_get(pp, "assumeRole"), NULL, NULL);
	const char *acct = cfg_arn_account(a, pv_str(pv_get(cfg_one(role), "roleArn")));
	if (acct)
		return acct;
	const char *prof = pv_str(pv_get(pp, "profile"));
	if (prof && *prof)
		return arena_printf(a, "profile %s", prof);
	return "";
}

/* Collect every Config resource with its region and account; unknown regions are skipped. */
static void cfg_collect(struct pol_ctx *c, const struct stk_index *s, struct cfg_set *set)
{
	static const struct { const char *type; enum cfg_kind kind; } types[] = {
		{ CFG_RECORDER, CFG_K_RECORDER }, { CFG_CHANNEL, CFG_K_CHANNEL }, { CFG_STATUS, CFG_K_STATUS },
		{ CFG_AGG, CFG_K_AGG }, { CFG_AUTH, CFG_K_AUTH },
	};
	size_t total = 0, first;
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		total += stk_type_range(s, types[t].type, &first);
	set->n = 0;
	set->v = total ? arena_alloc(pol_arena(c), total * sizeof(*set->v)) : NULL;
	if (!set->v)
		return;
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		const struct pol_resource *r;
		STK_FOREACH_TYPE(s, types[t].type, r) {
			const char *reg = NULL;
			int rc;
			if (types[t].kind == CFG_K_AUTH && !pv_get(r->props, "authorizedAwsRegion")) {
				/* pulumi-aws v6: AggregateAuthorization.region is the *authorized* region, not its own. */
				struct pol_resource own = *r;
				own.props = NULL;
				rc = pol_region(c, &own, &reg);
			} else {
				rc = pol_region(c, r, &reg);
			}
			if (rc == PV_EUNKNOWN) {
				pol_unknown(c, "region");
				continue;
			}
			if (rc != PV_OK)
				continue;
			set->v[set->n].r = r;
			set->v[set->n].kind = types[t].kind;
			set->v[set->n].region = reg;
			set->v[set->n].acct = cfg_account(c, r, &set->v[set->n].acct_secret);
			set->n++;
		}
	}
}

static int cfg_same_group(const struct cfg_item *a, const struct cfg_item *b)
{
	return strcmp(a->region, b->region) == 0 && strcmp(a->acct, b->acct) == 0;
}

/* Printable " (account X)" suffix for messages. */
static const char *cfg_acct_txt(struct pol_ctx *c, const struct cfg_item *x)
{
	if (!*x->acct)
		return "";
	if (x->acct_secret)
		return " (account [secret])";
	return arena_printf(pol_arena(c), " (account %s)", x->acct);
}

/* Does recorder status `st` start recorder `rec`? */
static int cfg_status_for(const struct cfg_item *st, const struct cfg_item *rec)
{
	char *const *urns;
	size_t n = stk_prop_deps(st->r, "name", &urns);
	for (size_t i = 0; i < n; i++)
		if (strcmp(urns[i], rec->r->urn) == 0)
			return 1;
	const char *sn, *rn;
	int a = pv_get_str(pv_get(st->r->props, "name"), &sn);
	int b = pv_get_str(pv_get(rec->r->props, "name"), &rn);
	if (a == PV_OK && b == PV_OK)
		return strcmp(sn, rn) == 0;
	/* Name unknown or defaulted: the only recorder of the group is meant. */
	return cfg_same_group(st, rec);
}

/* Recording group facts of a recorder. */
struct cfg_rg {
	int all_supported;      /* 1 (default), 0, -1 unknown */
	int global;             /* includeGlobalResourceTypes: 1, 0, -1 unknown */
	size_t n_types;         /* resourceTypes */
	size_t n_excluded;      /* exclusionByResourceTypes.resourceTypes */
	int iam_listed;         /* resourceTypes lists AWS::IAM::* */
};

static void cfg_rg_read(const pv_value *rec, struct cfg_rg *g)
{
	const pv_value *rg = cfg_one(pv_get(rec, "recordingGroup")), *e;
	int b = 0, rc;
	memset(g, 0, sizeof(*g));
	rc = pv_get_bool(pv_get(rg, "allSupported"), &b);
	g->all_supported = rc == PV_OK ? b : rc == PV_EUNKNOWN ? -1 : 1;
	rc = pv_get_bool(pv_get(rg, "includeGlobalResourceTypes"), &b);
	g->global = rc == PV_OK ? b : rc == PV_EUNKNOWN ? -1 : 0;
	const pv_value *rt = pv_get(rg, "resourceTypes");
	g->n_types = pv_kind(rt) == PV_UNKNOWN ? 1 : pv_len(rt);
	PV_LIST_FOREACH(i, e, rt) {
		const char *t = pv_str(e);
		if (t && strncmp(t, "AWS::IAM::", 10) == 0)
			g->iam_listed = 1;
	}
	const pv_value *ex = cfg_one(pv_get(rg, "exclusionByResourceTypes"));
	const pv_value *et = pv_get(ex, "resourceTypes");
	g->n_excluded = pv_kind(ex) == PV_UNKNOWN || pv_kind(et) == PV_UNKNOWN ? 1 : pv_len(et);
}

/* One recorder: channel, status, recording group. */
static void cfg_check_recorder(struct pol_ctx *c, const struct cfg_set *set, const struct cfg_item *rec)
{
	size_t n_rec = 0, n_ch = 0;
	const struct cfg_item *status = NULL;
	const char *acct = cfg_acct_txt(c, rec);

	for (size_t i = 0; i < set->n; i++) {
		const struct cfg_item *x = &set->v[i];
		if (!cfg_same_group(x, rec))
			continue;
		if (x->kind == CFG_K_RECORDER)
			n_rec++;
		else if (x->kind == CFG_K_CHANNEL)
			n_ch++;
		else if (x->kind == CFG_K_STATUS && cfg_status_for(x, rec)) {
			int on = 0;
			if (!status || pv_get_bool(pv_get(x->r->props, "isEnabled"), &on) != PV_OK || on)
				status = x;
		}
	}
	if (n_rec > 1)
		pol_report(c, rec->r->urn, NULL, "%zu configuration recorders are defined for %s%s: AWS Config allows one recorder per account and region (MaxNumberOfConfigurationRecordersExceededException); keep a single recorder per region.", n_rec, rec->region, acct);
	if (n_ch == 0)
		pol_report(c, rec->r->urn, NULL, "the recorder in %s%s has no delivery channel, so it cannot start (NoAvailableDeliveryChannelException) and nothing is delivered: add an aws.cfg.DeliveryChannel { s3BucketName, snsTopicArn } in the same region (dependsOn the recorder).", rec->region, acct);
	if (!status) {
		pol_report(c, rec->r->urn, NULL, "the recorder in %s%s is never started: recorders are created stopped; add aws.cfg.RecorderStatus { name: recorder.name, isEnabled: true } with dependsOn the delivery channel.", rec->region, acct);
	} else {
		int on = 0;
		int rc = pv_get_bool(pv_get(status->r->props, "isEnabled"), &on);
		if (rc == PV_EUNKNOWN)
			pol_unknown(c, "isEnabled");
		else if (rc != PV_OK || !on)
			pol_report(c, status->r->urn, "isEnabled", "the recorder status for %s%s has isEnabled false (or unset), so nothing is recorded: set isEnabled: true.", rec->region, acct);
	}

	struct cfg_rg g;
	cfg_rg_read(rec->r->props, &g);
	if (g.all_supported == 0 && g.n_types == 0 && g.n_excluded == 0)
		pol_report(c, rec->r->urn, "recordingGroup.resourceTypes", "recordingGroup.allSupported is false but no resourceTypes (or exclusionByResourceTypes) are listed, so the recorder records nothing: list resourceTypes, or set allSupported: true.");
	if (g.all_supported == 0 && g.global == 1)
		pol_report(c, rec->r->urn, "recordingGroup.includeGlobalResourceTypes", "recordingGroup.includeGlobalResourceTypes is true while allSupported is false: AWS Config rejects this (InvalidRecordingGroupException); set allSupported: true, or list the AWS::IAM::* types in resourceTypes.");
}

/* One delivery channel: a recorder to attach to, uniqueness, ordering. */
static void cfg_check_channel(struct pol_ctx *c, const struct cfg_set *set, const struct cfg_item *ch)
{
	size_t n_ch = 0;
	const struct cfg_item *rec = NULL;
	for (size_t i = 0; i < set->n; i++) {
		const struct cfg_item *x = &set->v[i];
		if (!cfg_same_group(x, ch))
			continue;
		if (x->kind == CFG_K_CHANNEL)
			n_ch++;
		else if (x->kind == CFG_K_RECORDER && !rec)
			rec = x;
	}
	const char *acct = cfg_acct_txt(c, ch);
	if (n_ch > 1)
		pol_report(c, ch->r->urn, NULL, "%zu delivery channels are defined for %s%s: AWS Config allows one per account and region (MaxNumberOfDeliveryChannelsExceededException); keep a single channel per region.", n_ch, ch->region, acct);
	if (!rec)
		pol_report(c, ch->r->urn, NULL, "delivery channel in %s%s has no configuration recorder in the same region and account: AWS Config rejects it (NoAvailableConfigurationRecorderException); add an aws.cfg.Recorder there and make the channel dependsOn it.", ch->region, acct);
	if (pv_kind(pv_get(ch->r->props, "s3BucketName")) == PV_MISSING || pv_kind(pv_get(ch->r->props, "s3BucketName")) == PV_NULL)
		pol_report(c, ch->r->urn, "s3BucketName", "delivery channel has no s3BucketName: AWS Config needs a bucket to deliver configuration snapshots and history; set s3BucketName.");
}

/* True when `reg` is one of the first `n` strings of `v`. */
static int cfg_in(const char *const *v, size_t n, const char *reg)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], reg) == 0)
			return 1;
	return 0;
}

/* Global resource types (IAM) must be recorded in exactly one region per account. */
static void cfg_check_global(struct pol_ctx *c, const struct cfg_set *set)
{
	struct arena *a = pol_arena(c);
	const char *want = pol_cfg_str(c, "globalResourcesRegion");
	const char **regs = arena_alloc(a, (set->n + 1) * sizeof(*regs));
	const char **glob = arena_alloc(a, (set->n + 1) * sizeof(*glob));
	if (!regs || !glob)
		return;
	if (want && !*want)
		want = NULL;

	for (size_t i = 0; i < set->n; i++) {
		const struct cfg_item *x = &set->v[i];
		if (x->kind != CFG_K_RECORDER)
			continue;
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = set->v[k].kind == CFG_K_RECORDER && strcmp(set->v[k].acct, x->acct) == 0;
		if (seen)
			continue;   /* account already judged */

		size_t n_regs = 0, n_glob = 0;
		int unknown = 0, covered = 0;
		const struct cfg_item *first = x;
		for (size_t k = i; k < set->n; k++) {
			const struct cfg_item *y = &set->v[k];
			if (y->kind != CFG_K_RECORDER || strcmp(y->acct, x->acct) != 0)
				continue;
			struct cfg_rg g;
			cfg_rg_read(y->r->props, &g);
			if (!cfg_in(regs, n_regs, y->region))
				regs[n_regs++] = y->region;
			if (g.all_supported < 0 || g.global < 0)
				unknown = 1;
			if (g.iam_listed || (g.all_supported == 0 && g.n_excluded > 0))
				covered = 1;
			if (g.all_supported != 0 && g.global == 1 && !cfg_in(glob, n_glob, y->region))
				glob[n_glob++] = y->region;
		}
		if (unknown) {
			pol_unknown(c, "recordingGroup.includeGlobalResourceTypes");
			continue;
		}
		const char *acct = cfg_acct_txt(c, x);
		if (n_glob > 1 || (n_glob == 1 && want && strcmp(glob[0], want) != 0)) {
			char *list = arena_strdup(a, "");
			for (size_t k = 0; k < n_glob && list; k++)
				list = arena_printf(a, "%s%s%s", list, k ? ", " : "", glob[k]);
			const char *keep = want ? want : glob[0];
			for (size_t k = i; k < set->n; k++) {
				const struct cfg_item *y = &set->v[k];
				struct cfg_rg g;
				if (y->kind != CFG_K_RECORDER || strcmp(y->acct, x->acct) != 0 || strcmp(y->region, keep) == 0)
					continue;
				cfg_rg_read(y->r->props, &g);
				if (g.all_supported != 0 && g.global == 1)
					pol_report(c, y->r->urn, "recordingGroup.includeGlobalResourceTypes",
						   "global resource types (IAM) are recorded in %s%s: every region records the same IAM items again (duplicate configuration items and cost); set includeGlobalResourceTypes: true only in %s and false here.",
						   list ? list : "several regions", acct, keep);
			}
		} else if (n_glob == 0 && !covered && (n_regs >= 2 || want)) {
			pol_report(c, first->r->urn, "recordingGroup.includeGlobalResourceTypes",
				   "no recorder%s records global resource types, so IAM users, roles and policies are not tracked: set recordingGroup { allSupported: true, includeGlobalResourceTypes: true } on the recorder of exactly one region (e.g. %s).",
				   acct, want ? want : first->region);
		}
	}
}

/* Authorized region of an AggregateAuthorization (v7 authorizedAwsRegion, v6 region). */
static const char *cfg_auth_region(const struct pol_resource *r)
{
	const pv_value *v = pv_get(r->props, "authorizedAwsRegion");
	return pv_str(v ? v : pv_get(r->props, "region"));
}

static void cfg_check_aggregators(struct pol_ctx *c, const struct stk_index *s, const struct cfg_set *set)
{
	struct arena *a = pol_arena(c);
	const char **regs = arena_alloc(a, (set->n + 1) * sizeof(*regs));
	const char **accts = arena_alloc(a, (set->n + 1) * sizeof(*accts));
	size_t n_regs = 0, n_accts = 0, n_agg = 0, first;
	const struct cfg_item *first_rec = NULL;
	if (!regs || !accts)
		return;
	for (size_t i = 0; i < set->n; i++) {
		const struct cfg_item *x = &set->v[i];
		if (x->kind != CFG_K_RECORDER)
			continue;
		if (!first_rec)
			first_rec = x;
		if (!cfg_in(regs, n_regs, x->region))
			regs[n_regs++] = x->region;
		if (*x->acct && !cfg_in(accts, n_accts, x->acct))
			accts[n_accts++] = x->acct;
	}

	n_agg = stk_type_range(s, CFG_AGG, &first);
	const struct pol_resource *ag;
	STK_FOREACH_TYPE(s, CFG_AGG, ag) {
		const pv_value *acc = pv_get(ag->props, "accountAggregationSource");
		const pv_value *org = pv_get(ag->props, "organizationAggregationSource");
		if (pv_kind(acc) == PV_UNKNOWN || pv_kind(org) == PV_UNKNOWN) {
			pol_unknown(c, "accountAggregationSource");
			continue;
		}
		acc = cfg_one(acc);
		org = cfg_one(org);
		int has_a = pv_kind(acc) == PV_OBJECT, has_o = pv_kind(org) == PV_OBJECT;
		if (has_a && has_o) {
			pol_report(c, ag->urn, NULL, "the aggregator sets both accountAggregationSource and organizationAggregationSource: AWS Config accepts exactly one; keep the one that matches how the accounts are managed.");
			continue;
		}
		if (!has_a && !has_o) {
			pol_report(c, ag->urn, NULL, "the aggregator has no source: set accountAggregationSource { accountIds, allRegions: true } or organizationAggregationSource { roleArn, allRegions: true }.");
			continue;
		}
		const char *sp = has_a ? "accountAggregationSource" : "organizationAggregationSource";
		const pv_value *src = has_a ? acc : org;
		int all = 0;
		int rc = pv_get_bool(pv_get(src, "allRegions"), &all);
		const pv_value *rl = pv_get(src, "regions"), *e;
		if (rc == PV_EUNKNOWN || pv_kind(rl) == PV_UNKNOWN) {
			pol_unknown(c, arena_printf(a, "%s.regions", sp));
		} else if (!(rc == PV_OK && all)) {
			if (pv_len(rl) == 0) {
				pol_report(c, ag->urn, arena_printf(a, "%s.allRegions", sp), "%s sets neither allRegions: true nor regions, so nothing is aggregated: set allRegions: true.", sp);
			} else {
				char *missing = NULL;
				for (size_t k = 0; k < n_regs; k++) {
					int found = 0;
					PV_LIST_FOREACH(j, e, rl) {
						const char *x = pv_str(e);
						if (!x || strcmp(x, regs[k]) == 0)
							found = 1;   /* unknown elements may be the region */
					}
					if (!found)
						missing = arena_printf(a, "%s%s%s", missing ? missing : "", missing ? ", " : "", regs[k]);
				}
				if (missing)
					pol_report(c, ag->urn, arena_printf(a, "%s.regions", sp), "%s.regions leaves out %s, where this stack records configuration: add those regions or set allRegions: true.", sp, missing);
				else if (pol_cfg_bool(c, "requireAllRegionsAggregation"))
					pol_report(c, ag->urn, arena_printf(a, "%s.allRegions", sp), "%s lists regions instead of allRegions: true, so regions enabled later are not aggregated: set allRegions: true.", sp);
			}
		}
		if (!has_a)
			continue;

		/* Source accounts managed in this stack must authorize the aggregator. */
		const struct cfg_item *self = NULL;
		for (size_t i = 0; i < set->n && !self; i++)
			if (set->v[i].r == ag)
				self = &set->v[i];
		if (!self)
			continue;
		PV_LIST_FOREACH(j, e, pv_get(acc, "accountIds")) {
			const char *id = pv_str(e);
			if (!id || strcmp(id, self->acct) == 0 || !cfg_in(accts, n_accts, id))
				continue;
			int ok = 0;
			for (size_t i = 0; i < set->n && !ok; i++) {
				const struct cfg_item *x = &set->v[i];
				const char *ar = x->kind == CFG_K_AUTH ? cfg_auth_region(x->r) : NULL;
				const char *aa = x->kind == CFG_K_AUTH ? pv_str(pv_get(x->r->props, "accountId")) : NULL;
				if (x->kind != CFG_K_AUTH || strcmp(x->acct, id) != 0)
					continue;
				ok = (!ar || strcmp(ar, self->region) == 0) && (!aa || !*self->acct || strcmp(aa, self->acct) == 0);
			}
			if (!ok)
				pol_report(c, ag->urn, "accountAggregationSource.accountIds",
					   "source account %s is managed in this stack but has no aws.cfg.AggregateAuthorization for the aggregator account%s%s in %s, so its data is never aggregated: create one in account %s (accountId: the aggregator's account, authorizedAwsRegion: \"%s\").",
					   id, *self->acct ? " " : "", self->acct_secret ? "[secret]" : self->acct, self->region, id, self->region);
		}
	}

	if (n_agg == 0 && first_rec && (n_regs >= 2 || n_accts >= 2) && pol_cfg_bool(c, "requireAggregatorForMultiRegion"))
		pol_report(c, first_rec->r->urn, NULL,
			   "AWS Config records in %zu region(s) and %zu known account(s) but the stack defines no aws.cfg.ConfigurationAggregator, so compliance data stays scattered per region and account: add an aggregator with accountAggregationSource { accountIds, allRegions: true } (or organizationAggregationSource) and AggregateAuthorization in each source account.",
			   n_regs, n_accts ? n_accts : 1);
}

static void check_config_recording(struct pol_ctx *c, const struct stk_index *s)
{
	struct cfg_set set;
	cfg_collect(c, s, &set);
	for (size_t i = 0; i < set.n; i++) {
		if (set.v[i].kind == CFG_K_RECORDER)
			cfg_check_recorder(c, &set, &set.v[i]);
		else if (set.v[i].kind == CFG_K_CHANNEL)
			cfg_check_channel(c, &set, &set.v[i]);
	}
	cfg_check_global(c, &set);
	cfg_check_aggregators(c, s, &set);
}


/* ---- aws-config-creation-order --------------------------------------------- */

/*
 * The three resources have no property links between them (a RecorderStatus
 * only names the recorder), so without dependsOn Pulumi creates them in
 * parallel and the first deployment fails intermittently.
 */
static void check_config_order(struct pol_ctx *c, const struct stk_index *s)
{
	struct cfg_set set;
	cfg_collect(c, s, &set);
	for (size_t i = 0; i < set.n; i++) {
		const struct cfg_item *x = &set.v[i];
		enum cfg_kind want = x->kind == CFG_K_CHANNEL ? CFG_K_RECORDER : x->kind == CFG_K_STATUS ? CFG_K_CHANNEL : x->kind;
		const struct cfg_item *first = NULL;
		int ordered = 0;
		if (want == x->kind)
			continue;
		if (x->kind == CFG_K_STATUS) {
			int on = 0;
			if (pv_get_bool(pv_get(x->r->props, "isEnabled"), &on) != PV_OK || !on)
				continue;   /* a stopped recorder needs no channel yet */
		}
		for (size_t k = 0; k < set.n; k++) {
			const struct cfg_item *y = &set.v[k];
			if (y->kind != want || !cfg_same_group(x, y))
				continue;
			if (!first)
				first = y;
			if (stk_depends_on(x->r, y->r->urn))
				ordered = 1;
		}
		if (!first || ordered)
			continue;
		if (x->kind == CFG_K_CHANNEL)
			pol_report(c, x->r->urn, NULL, "delivery channel does not depend on recorder \"%s\": creating the channel before the recorder fails (NoAvailableConfigurationRecorderException) on a first deployment; add dependsOn: [recorder].", first->r->name);
		else
			pol_report(c, x->r->urn, NULL, "the recorder status does not depend on delivery channel \"%s\": starting the recorder before the channel exists fails (NoAvailableDeliveryChannelException) on a first deployment; add dependsOn: [deliveryChannel].", first->r->name);
	}
}

/* ---- table ----------------------------------------------------------------- */

static const struct pol_doc doc_config = {
	.why = "Seed 004 #12: the AWS Config recorder and delivery channel were set up in one local account/region with no multi-region or cross-account aggregation. A recorder records nothing until a delivery channel exists and a RecorderStatus starts it; AWS Config allows one recorder and one channel per region and account; global (IAM) types belong in exactly one region; and an aggregator is needed to see several regions or accounts together.",
	.fail_ts = "for (const p of [usEast1, usWest2]) {\n  new aws.cfg.Recorder(`rec-${p.region}`, { roleArn: role.arn,\n    recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } }, { provider: p });\n}\n// no DeliveryChannel / RecorderStatus in us-west-2, no ConfigurationAggregator",
	.fixed_ts = "const rec = new aws.cfg.Recorder(\"rec\", { roleArn: role.arn,\n  recordingGroup: { allSupported: true, includeGlobalResourceTypes: region === \"us-east-1\" } }, { provider: p });\nconst ch = new aws.cfg.DeliveryChannel(\"ch\", { s3BucketName: bucket.bucket }, { provider: p, dependsOn: [rec] });\nnew aws.cfg.RecorderStatus(\"on\", { name: rec.name, isEnabled: true }, { provider: p, dependsOn: [ch] });\nnew aws.cfg.ConfigurationAggregator(\"agg\", { accountAggregationSource: { accountIds: [account], allRegions: true } });",
	.fail_py = "for p in [us_east_1, us_west_2]:\n    aws.cfg.Recorder(f\"rec-{p}\", role_arn=role.arn,\n        recording_group={\"all_supported\": True, \"include_global_resource_types\": True},\n        opts=pulumi.ResourceOptions(provider=p))",
	.fixed_py = "rec = aws.cfg.Recorder(\"rec\", role_arn=role.arn,\n    recording_group={\"all_supported\": True, \"include_global_resource_types\": region == \"us-east-1\"},\n    opts=pulumi.ResourceOptions(provider=p))\nch = aws.cfg.DeliveryChannel(\"ch\", s3_bucket_name=bucket.bucket, opts=pulumi.ResourceOptions(provider=p, depends_on=[rec]))\naws.cfg.RecorderStatus(\"on\", name=rec.name, is_enabled=True, opts=pulumi.ResourceOptions(provider=p, depends_on=[ch]))\naws.cfg.ConfigurationAggregator(\"agg\", account_aggregation_source={\"account_ids\": [account], \"all_regions\": True})",
};

static const struct pol_doc doc_order = {
	.why = "Seed 004 #12 follow-up: AWS Config rejects a delivery channel created before its recorder and a recorder started before its channel exists. The resources are not linked by properties, so only dependsOn orders them; without it the first deployment fails intermittently.",
	.fail_ts = "const rec = new aws.cfg.Recorder(\"rec\", { roleArn: role.arn });\nconst ch = new aws.cfg.DeliveryChannel(\"ch\", { s3BucketName: bucket.bucket });\nnew aws.cfg.RecorderStatus(\"on\", { name: rec.name, isEnabled: true });",
	.fixed_ts = "const ch = new aws.cfg.DeliveryChannel(\"ch\", { s3BucketName: bucket.bucket }, { dependsOn: [rec] });\nnew aws.cfg.RecorderStatus(\"on\", { name: rec.name, isEnabled: true }, { dependsOn: [ch] });",
	.fail_py = "ch = aws.cfg.DeliveryChannel(\"ch\", s3_bucket_name=bucket.bucket)\naws.cfg.RecorderStatus(\"on\", name=rec.name, is_enabled=True)",
	.fixed_py = "ch = aws.cfg.DeliveryChannel(\"ch\", s3_bucket_name=bucket.bucket, opts=pulumi.ResourceOptions(depends_on=[rec]))\naws.cfg.RecorderStatus(\"on\", name=rec.name, is_enabled=True, opts=pulumi.ResourceOptions(depends_on=[ch]))",
};

static const struct policy policies[] = {
	{
		.name = "aws-config-recording-complete",
		.display_name = "AWS Config recording complete",
		.description = "AWS Config must be set up completely: per region and account one recorder with a delivery channel and an enabled RecorderStatus, global resources recorded in exactly one region, and aggregation across regions and accounts.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(CFG_RECORDER, CFG_CHANNEL, CFG_STATUS, CFG_AGG, CFG_AUTH),
		.config_schema = "{\"requireAllRegionsAggregation\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Require allRegions: true on aggregators (an explicit regions list is otherwise accepted when it covers every recording region).\"}, "
			"\"requireAggregatorForMultiRegion\": {\"type\": \"boolean\", \"default\": true, "
			"\"description\": \"Require a ConfigurationAggregator when the stack records in several regions or accounts.\"}, "
			"\"globalResourcesRegion\": {\"type\": \"string\", \"default\": \"\", "
			"\"description\": \"Region that must record global (IAM) resource types; empty = any one region.\"}}",
		.remediation_steps = "Per region and account: one aws.cfg.Recorder, one aws.cfg.DeliveryChannel (dependsOn the recorder), one aws.cfg.RecorderStatus { isEnabled: true } (dependsOn the channel); includeGlobalResourceTypes true in one region only; an aws.cfg.ConfigurationAggregator with allRegions: true and AggregateAuthorization in each source account.",
		.tags = "config,compliance,multi-region,multi-account",
		.url = "https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html",
		.check_stack = check_config_recording,
		.doc = &doc_config,
	},
	{
		.name = "aws-config-creation-order",
		.display_name = "AWS Config resources created in order",
		.description = "A Config delivery channel must depend on its recorder, and an enabled RecorderStatus on the delivery channel.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES(CFG_RECORDER, CFG_CHANNEL, CFG_STATUS),
		.config_schema = NULL,
		.remediation_steps = "Add dependsOn: [recorder] to the aws.cfg.DeliveryChannel and dependsOn: [deliveryChannel] to the aws.cfg.RecorderStatus.",
		.tags = "config,ordering",
		.url = "https://www.pulumi.com/registry/packages/aws/api-docs/cfg/recorderstatus/",
		.check_stack = check_config_order,
		.doc = &doc_order,
	},
};

const struct pol_family pol_family_awsconfig = { "awsconfig", policies, sizeof(policies) / sizeof(policies[0]) };
