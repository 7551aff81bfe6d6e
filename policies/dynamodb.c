/*
 * dynamodb.c - policy family "dynamodb": encryption, point-in-time recovery
 * and global tables (rule-catalog 3.D and 4.6).
 *
 * Tables replicate through `replicas` (global tables version 2019.11.21),
 * through separate aws.dynamodb.TableReplica resources, or through the legacy
 * aws.dynamodb.GlobalTable (2017.11.29). The resource policies judge what
 * one resource says; the stack policy links TableReplica and GlobalTable to
 * the tables they replicate, because in preview the table ARN is unknown and
 * only propertyDependencies tell which table a replica belongs to.
 */
#include <string.h>

#include "arena.h"
#include "aws.h"
#include "policy.h"
#include "stack.h"
#include "strmap.h"

#define T_TABLE "aws:dynamodb/table:Table"
#define T_REPLICA "aws:dynamodb/tableReplica:TableReplica"
#define T_GLOBAL "aws:dynamodb/globalTable:GlobalTable"
#define T_SCALING "aws:appautoscaling/target:Target"

static int ddb_is(const struct pol_resource *r, const char *type)
{
	return strcmp(r->type, type) == 0;
}

/* "..." instead of the value when it is secret. */
static const char *ddb_show(const pv_value *v)
{
	const char *s = pv_str(v);
	return !s ? "" : pv_is_secret(v) ? "..." : s;
}

/* "replicas[3].kmsKeyArn" in the arena (pol_unknown keeps the pointer). */
static const char *ddb_path(struct pol_ctx *c, const char *fmt, size_t i)
{
	const char *p = arena_printf(pol_arena(c), fmt, i);
	return p ? p : "replicas";
}

/* Region field of a KMS key ARN (arena copy), or NULL when `arn` is not a KMS ARN with a region. */
static const char *ddb_kms_region(struct pol_ctx *c, const char *arn)
{
	struct aws_arn a;
	if (!arn || aws_arn_parse(arn, &a) != 0 || !aws_field_eq(a.service, a.service_len, "kms") || !a.region_len)
		return NULL;
	return arena_strndup(pol_arena(c), a.region, a.region_len);
}

/* A key ARN must be a KMS ARN in the region of the table (replica) that uses it. */
static void ddb_check_key_region(struct pol_ctx *c, const char *path, const pv_value *key, const char *region,
				 const char *what)
{
	const char *arn = pv_str(key);
	struct aws_arn a;
	if (!arn || !*arn)
		return;
	if (aws_arn_parse(arn, &a) != 0 || !aws_field_eq(a.service, a.service_len, "kms")) {
		pol_report(c, NULL, path, "%s is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): pass "
			   "the key's arn, not its id or alias name.", path);
		return;
	}
	const char *kr = ddb_kms_region(c, arn);
	if (kr && region && strcmp(kr, region) != 0)
		pol_report(c, NULL, path, "%s is a KMS key in %s, but %s is in %s; KMS keys are regional: use a key "
			   "(or multi-Region replica key) created in %s.", path,
			   pv_is_secret(key) ? "another region" : kr, what, region, region);
}

/* ---- dynamodb-sse-explicitly-enabled ------------------------------------------------- */

static void check_sse(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *region = NULL;
	int region_rc = pol_region(c, r, &region);
	if (region_rc != PV_OK)
		region = NULL;

	if (ddb_is(r, T_REPLICA)) {
		const pv_value *key = pv_get(r->props, "kmsKeyArn");
		if (pv_kind(key) == PV_UNKNOWN) {
			pol_unknown(c, "kmsKeyArn");
			return;
		}
		if (pv_str(key) && *pv_str(key))
			ddb_check_key_region(c, "kmsKeyArn", key, region, "the replica");
		else if (pol_cfg_bool(c, "requireCustomerManagedKey"))
			pol_report(c, NULL, "kmsKeyArn", "kmsKeyArn is not set, so the replica uses the AWS-managed key "
				   "alias/aws/dynamodb: set kmsKeyArn to a customer-managed key in the replica's region.");
		return;
	}

	const pv_value *sse = pv_get(r->props, "serverSideEncryption");
	int enabled = 0, cmk = 0;
	switch (pv_kind(sse)) {
	case PV_UNKNOWN:
		pol_unknown(c, "serverSideEncryption");
		return;
	case PV_MISSING:
	case PV_NULL:
		pol_report(c, NULL, "serverSideEncryption",
			   "serverSideEncryption is not set, so the table is encrypted with an AWS-owned key that you "
			   "cannot see, audit in CloudTrail or control: set serverSideEncryption: { enabled: true } (AWS "
			   "managed key alias/aws/dynamodb) or add kmsKeyArn for a customer-managed key.");
		break;
	default: {
		int rc = pv_get_bool(pv_get(sse, "enabled"), &enabled);
		if (rc == PV_EUNKNOWN) {
			pol_unknown(c, "serverSideEncryption.enabled");
			return;
		}
		if (rc != PV_OK || !enabled) {
			enabled = 0;
			pol_report(c, NULL, "serverSideEncryption.enabled",
				   "serverSideEncryption.enabled is %s, which means the AWS-owned key (no KMS audit or "
				   "control): set serverSideEncryption.enabled to true.",
				   rc == PV_OK ? "false" : "not set");
			break;
		}
		const pv_value *key = pv_get(sse, "kmsKeyArn");
		if (pv_kind(key) == PV_UNKNOWN) {
			pol_unknown(c, "serverSideEncryption.kmsKeyArn");
			cmk = 1;
		} else if (pv_str(key) && *pv_str(key)) {
			cmk = 1;
			ddb_check_key_region(c, "serverSideEncryption.kmsKeyArn", key, region, "the table");
		} else if (pol_cfg_bool(c, "requireCustomerManagedKey")) {
			pol_report(c, NULL, "serverSideEncryption.kmsKeyArn",
				   "serverSideEncryption has no kmsKeyArn, so the AWS-managed key alias/aws/dynamodb is "
				   "used: set kmsKeyArn to a customer-managed KMS key (requireCustomerManagedKey).");
		}
		break;
	}
	}

	const pv_value *reps = pv_get(r->props, "replicas"), *rep;
	if (pv_kind(reps) == PV_UNKNOWN)
		pol_unknown(c, "replicas");
	PV_LIST_FOREACH(i, rep, reps) {
		const pv_value *key = pv_get(rep, "kmsKeyArn");
		const char *rn = pv_str(pv_get(rep, "regionName"));
		const char *path = ddb_path(c, "replicas[%zu].kmsKeyArn", i);
		/* A replica built from an Output is unknown as a whole in preview: nothing to judge. */
		if (pv_kind(rep) == PV_UNKNOWN || pv_kind(key) == PV_UNKNOWN) {
			pol_unknown(c, path);
			continue;
		}
		if (pv_str(key) && *pv_str(key)) {
			ddb_check_key_region(c, path, key, rn, "the replica");
		} else if (enabled && (cmk || pol_cfg_bool(c, "requireCustomerManagedKey"))) {
			pol_report(c, NULL, path,
				   "replica %zu (%s) has no kmsKeyArn while the table is encrypted with a customer-managed "
				   "key: set %s to a key in %s (a multi-Region replica key of the table's key works).",
				   i, rn ? rn : "its region", path, rn ? rn : "that region");
		}
	}
}

/* ---- dynamodb-pitr-enabled ------------------------------------------------------------- */

static void check_pitr(struct pol_ctx *c, const struct pol_resource *r)
{
	int on = 0, rc;
	if (ddb_is(r, T_REPLICA)) {
		rc = pv_get_bool(pv_get(r->props, "pointInTimeRecovery"), &on);
		if (rc == PV_EUNKNOWN)
			pol_unknown(c, "pointInTimeRecovery");
		else if ((rc != PV_OK || !on) && pol_cfg_bool(c, "checkReplicas"))
			pol_report(c, NULL, "pointInTimeRecovery",
				   "pointInTimeRecovery is %s on this replica, and replicas do not inherit it from the "
				   "table: set pointInTimeRecovery: true.", rc == PV_OK ? "false" : "not set");
		return;
	}
	const pv_value *pitr = pv_get(r->props, "pointInTimeRecovery");
	rc = pv_get_bool(pv_get(pitr, "enabled"), &on);
	if (pv_kind(pitr) == PV_UNKNOWN || rc == PV_EUNKNOWN) {
		pol_unknown(c, "pointInTimeRecovery.enabled");
	} else if (rc != PV_OK || !on) {
		pol_report(c, NULL, "pointInTimeRecovery.enabled",
			   "pointInTimeRecovery.enabled is %s, so the table cannot be restored to a point before an "
			   "accidental write or delete: set pointInTimeRecovery: { enabled: true }.",
			   rc == PV_OK ? "false" : "not set");
	} else {
		double days, min = pol_cfg_num(c, "minRecoveryDays", 1);
		int drc = pv_get_num(pv_get(pitr, "recoveryPeriodInDays"), &days);
		if (drc == PV_EUNKNOWN)
			pol_unknown(c, "pointInTimeRecovery.recoveryPeriodInDays");
		else if (drc == PV_OK && (days < 1 || days > 35))
			pol_report(c, NULL, "pointInTimeRecovery.recoveryPeriodInDays",
				   "pointInTimeRecovery.recoveryPeriodInDays is %g; DynamoDB accepts 1 to 35 days.", days);
		else if (drc == PV_OK && days < min)
			pol_report(c, NULL, "pointInTimeRecovery.recoveryPeriodInDays",
				   "pointInTimeRecovery.recoveryPeriodInDays is %g, below the required %g days: raise it.",
				   days, min);
	}
	if (!pol_cfg_bool(c, "checkReplicas"))
		return;
	const pv_value *reps = pv_get(r->props, "replicas"), *rep;
	if (pv_kind(reps) == PV_UNKNOWN)
		pol_unknown(c, "replicas");
	PV_LIST_FOREACH(i, rep, reps) {
		const char *rn = pv_str(pv_get(rep, "regionName"));
		const char *path = ddb_path(c, "replicas[%zu].pointInTimeRecovery", i);
		rc = pv_kind(rep) == PV_UNKNOWN ? PV_EUNKNOWN : pv_get_bool(pv_get(rep, "pointInTimeRecovery"), &on);
		if (rc == PV_EUNKNOWN)
			pol_unknown(c, path);
		else if (rc != PV_OK || !on)
			pol_report(c, NULL, path,
				   "replica %zu (%s) has point-in-time recovery off (replicas do not inherit it from the "
				   "table): set %s to true.", i, rn ? rn : "?", path);
	}
}

/* ---- dynamodb-global-table-valid ---------------------------------------------------------- */

/* Validate one list of replica regions: well-formed, unique, not `own` (when own != NULL). */
static void ddb_check_replica_regions(struct pol_ctx *c, const pv_value *reps, const char *own, int own_allowed)
{
	const pv_value *rep;
	PV_LIST_FOREACH(i, rep, reps) {
		const pv_value *rv = pv_get(rep, "regionName");
		const char *rn = pv_str(rv);
		const char *path = ddb_path(c, "replicas[%zu].regionName", i);
		if (pv_kind(rv) == PV_UNKNOWN) {
			pol_unknown(c, path);
			continue;
		}
		if (!rn)
			continue;
		enum aws_region_status st = aws_region_check(rn);
		if (st == AWS_REGION_AZ || st == AWS_REGION_MALFORMED) {
			pol_report(c, NULL, path, "%s \"%s\" is not an AWS region%s: use a region name such as "
				   "\"us-west-2\".", path, ddb_show(rv), st == AWS_REGION_AZ ? " (it is an availability "
				   "zone)" : "");
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			const char *prev = pv_str(pv_get(pv_at(reps, j), "regionName"));
			if (prev && strcmp(prev, rn) == 0) {
				pol_report(c, NULL, path, "%s repeats region \"%s\" (also replicas[%zu]); a global table "
					   "has at most one replica per region: remove the duplicate.", path, ddb_show(rv), j);
				break;
			}
		}
		if (own && !own_allowed && strcmp(own, rn) == 0)
			pol_report(c, NULL, path,
				   "%s is \"%s\", the table's own region; DynamoDB rejects it (\"Cannot add, delete, or "
				   "update the local region through ReplicaUpdates\"): list only the other regions, or "
				   "create the table with a provider for its primary region.", path, ddb_show(rv));
	}
}

/* Multi-Region strong consistency: all STRONG, three regions (or two plus a witness). */
static void ddb_check_mrsc(struct pol_ctx *c, const struct pol_resource *r, const pv_value *reps,
			   const char *own, int *strong_out)
{
	size_t n = pv_len(reps), strong = 0;
	const pv_value *rep;
	int unknown = 0;
	PV_LIST_FOREACH(i, rep, reps) {
		const pv_value *mv = pv_get(rep, "consistencyMode");
		const char *m = pv_str(mv);
		if (pv_kind(rep) == PV_UNKNOWN || pv_kind(mv) == PV_UNKNOWN)
			unknown = 1;
		if (m && strcmp(m, "STRONG") == 0)
			strong++;
	}
	*strong_out = strong > 0;
	if (!strong)
		return;
	if (unknown) {
		pol_unknown(c, "replicas");
		return;
	}
	if (strong != n) {
		pol_report(c, NULL, "replicas", "only %zu of %zu replicas set consistencyMode \"STRONG\"; a "
			   "multi-Region strongly consistent table needs the same mode on every replica.", strong, n);
		return;
	}
	const pv_value *wv = pv_path(r->props, "globalTableWitness.regionName");
	if (pv_kind(wv) == PV_UNKNOWN) {
		pol_unknown(c, "globalTableWitness.regionName");
		return;
	}
	const char *witness = pv_str(wv);
	if (witness && !*witness)
		witness = NULL;
	size_t regions = 1 + n + (witness ? 1 : 0);
	if (regions != 3)
		pol_report(c, NULL, "replicas", "a multi-Region strongly consistent table spans exactly three regions "
			   "(the table plus two replicas, or one replica and a globalTableWitness), but this one has %zu: "
			   "adjust replicas / globalTableWitness.", regions);
	if (witness) {
		int clash = own && strcmp(witness, own) == 0;
		PV_LIST_FOREACH(i, rep, reps) {
			const char *rn = pv_str(pv_get(rep, "regionName"));
			if (rn && strcmp(rn, witness) == 0)
				clash = 1;
		}
		if (clash)
			pol_report(c, NULL, "globalTableWitness.regionName", "globalTableWitness.regionName \"%s\" is also "
				   "a replica or the table's region; the witness must be a third region.", ddb_show(wv));
	}
}

static void ddb_check_streams(struct pol_ctx *c, const pv_value *props, const char *why)
{
	int on = 0;
	int rc = pv_get_bool(pv_get(props, "streamEnabled"), &on);
	const pv_value *vt = pv_get(props, "streamViewType");
	if (!pol_cfg_bool(c, "requireStreamsWithReplicas"))
		return;
	if (rc == PV_EUNKNOWN)
		pol_unknown(c, "streamEnabled");
	else if (rc != PV_OK || !on)
		pol_report(c, NULL, "streamEnabled",
			   "streamEnabled is %s on a table with %s; DynamoDB turns the stream on for replication, so "
			   "the next update tries to turn it off and fails: set streamEnabled: true and streamViewType: "
			   "\"NEW_AND_OLD_IMAGES\".", rc == PV_OK ? "false" : "not set", why);
	if (pv_kind(vt) == PV_UNKNOWN)
		pol_unknown(c, "streamViewType");
	else if (rc == PV_OK && on && (!pv_str(vt) || strcmp(pv_str(vt), "NEW_AND_OLD_IMAGES") != 0))
		pol_report(c, NULL, "streamViewType",
			   "streamViewType is %s%s%s on a table with %s; replication needs \"NEW_AND_OLD_IMAGES\".",
			   pv_str(vt) ? "\"" : "", pv_str(vt) ? ddb_show(vt) : "not set", pv_str(vt) ? "\"" : "", why);
}

static void check_global_table(struct pol_ctx *c, const struct pol_resource *r)
{
	const char *own = NULL;
	int region_rc = pol_region(c, r, &own);
	if (region_rc != PV_OK)
		own = NULL;

	if (ddb_is(r, T_REPLICA)) {
		const pv_value *gv = pv_get(r->props, "globalTableArn");
		const char *gta = pv_str(gv);
		struct aws_arn a;
		if (pv_kind(gv) == PV_UNKNOWN) {
			pol_unknown(c, "globalTableArn");
			return;
		}
		if (!gta || !*gta)
			return;
		if (aws_arn_parse(gta, &a) != 0 || !aws_field_eq(a.service, a.service_len, "dynamodb") ||
		    strncmp(a.resource, "table/", 6) != 0) {
			pol_report(c, NULL, "globalTableArn", "globalTableArn %s%s%s is not a DynamoDB table ARN: pass "
				   "table.arn (not table.name or table.id).", pv_is_secret(gv) ? "" : "\"", ddb_show(gv),
				   pv_is_secret(gv) ? "" : "\"");
			return;
		}
		if (region_rc == PV_EUNKNOWN)
			pol_unknown(c, "region");
		if (own && a.region_len && aws_field_eq(a.region, a.region_len, own))
			pol_report(c, NULL, "globalTableArn",
				   "the replica would be created in %s, the region of the table it replicates (from "
				   "globalTableArn): give the TableReplica a provider (or v7 region) for another region.", own);
		return;
	}

	const pv_value *reps = pv_get(r->props, "replicas");
	if (pv_kind(reps) == PV_UNKNOWN) {
		pol_unknown(c, "replicas");
		return;
	}

	if (ddb_is(r, T_GLOBAL)) {
		if (!pol_cfg_bool(c, "allowLegacyGlobalTable"))
			pol_report(c, NULL, NULL,
				   "aws.dynamodb.GlobalTable creates a legacy (version 2017.11.29) global table, which needs "
				   "identical pre-created tables with NEW_AND_OLD_IMAGES streams in every region and cannot "
				   "be combined with Table.replicas: declare replicas on the aws.dynamodb.Table instead "
				   "(version 2019.11.21).");
		/* Legacy global tables list every region, including the local one. */
		ddb_check_replica_regions(c, reps, own, 1);
		return;
	}

	if (pv_len(reps) == 0)
		return;
	if (region_rc == PV_EUNKNOWN)
		pol_unknown(c, "region");
	ddb_check_replica_regions(c, reps, own, 0);
	int strong = 0;
	ddb_check_mrsc(c, r, reps, own, &strong);
	if (!strong)
		ddb_check_streams(c, r->props, "replicas");
}

/* ---- dynamodb-global-table-stack-valid ---------------------------------------------------- */

/*
 * A string -> resources multimap in the policy's arena, built once per call
 * of the stack policy so that partner lookups are hash probes instead of
 * scans of the stack per resource. Values of one key iterate in insertion
 * order (request order when filled in that order).
 */

/* DDB_EACH(s, map, key, e, r): the resources (stack positions as values) under `key`, in insertion order. */
#define DDB_EACH(s, m, key, e, r) \
	for (size_t e = smap_next((m), (key), 0); e && (((r) = &(s)->res[(m)->ents[e - 1].val]), 1); \
	     e = smap_next((m), (key), e))

/* What one call of the stack policy computes once. */
struct ddb_stack {
	struct smap names;       /* Table name -> tables, request order */
	int scaling_built;
	struct smap scaled_urns; /* URNs write auto scaling targets depend on */
	struct smap scaled_names;/* table names of their resourceId "table/<name>" */
};

/* The Table a TableReplica replicates: by propertyDependencies, else by the ARN in globalTableArn. */
static const struct pol_resource *ddb_replica_table(const struct stk_index *s, const struct pol_resource *tr)
{
	static const char *const arn_key[] = { "arn", NULL };
	const struct pol_resource *t = NULL;
	if (stk_prop_depends_on_type(s, tr, "globalTableArn", T_TABLE, &t))
		return t;
	const char *gta = pv_str(pv_get(tr->props, "globalTableArn"));
	if (!gta)
		return NULL;
	if (*gta)
		return stk_find_eq(s, T_TABLE, arn_key, gta, STK_FIRST);
	/* stk_find_eq never matches "": the scan keeps an empty ARN matching an empty ARN. */
	STK_FOREACH_TYPE(s, T_TABLE, t) {
		const char *arn = pv_str(pv_get(t->props, "arn"));
		if (arn && strcmp(arn, gta) == 0)
			return t;
	}
	return NULL;
}

static int ddb_is_write_scaling(const struct pol_resource *x)
{
	const char *dim = pv_str(pv_get(x->props, "scalableDimension"));
	return !dim || strcmp(dim, "dynamodb:table:WriteCapacityUnits") == 0;
}

/* Index the write auto scaling targets once: what they depend on and the table names they scale. */
static int ddb_scaling_build(struct arena *a, const struct stk_index *s, struct ddb_stack *st)
{
	const struct pol_resource *x;
	size_t n_urns = 0, n_names = 0;
	STK_FOREACH_TYPE(s, T_SCALING, x) {
		if (!ddb_is_write_scaling(x))
			continue;
		n_urns += x->n_deps;
		for (size_t i = 0; i < x->n_propdeps; i++)
			n_urns += x->propdeps[i].n_urns;
		n_names++;
	}
	if (smap_init(a, &st->scaled_urns, n_urns) < 0 || smap_init(a, &st->scaled_names, n_names) < 0)
		return -1;
	STK_FOREACH_TYPE(s, T_SCALING, x) {
		const char *rid = pv_str(pv_get(x->props, "resourceId"));
		if (!ddb_is_write_scaling(x))
			continue;
		for (size_t i = 0; i < x->n_deps; i++)
			if (x->deps[i])
				smap_add(&st->scaled_urns, x->deps[i], x->index);
		for (size_t i = 0; i < x->n_propdeps; i++)
			for (size_t k = 0; k < x->propdeps[i].n_urns; k++)
				if (x->propdeps[i].urns[k])
					smap_add(&st->scaled_urns, x->propdeps[i].urns[k], x->index);
		if (rid && strncmp(rid, "table/", 6) == 0)
			smap_add(&st->scaled_names, rid + 6, x->index);
	}
	st->scaling_built = 1;
	return 0;
}

/*
 * Is table t write auto scaled: an appautoscaling Target for write capacity
 * (or any dimension when unset) that depends on the table or names it in
 * resourceId "table/<name>"?
 */
static int ddb_has_autoscaling(struct pol_ctx *c, const struct stk_index *s, struct ddb_stack *st,
			       const struct pol_resource *t)
{
	const char *name = pv_str(pv_get(t->props, "name"));
	if (!st->scaling_built && ddb_scaling_build(pol_arena(c), s, st) < 0)
		return 0;
	return smap_next(&st->scaled_urns, t->urn, 0) || (name && smap_next(&st->scaled_names, name, 0));
}

/* Replicated tables with provisioned capacity need write auto scaling (or on-demand billing). */
static void ddb_check_capacity(struct pol_ctx *c, const struct stk_index *s, struct ddb_stack *st,
			       const struct pol_resource *t)
{
	const pv_value *bm = pv_get(t->props, "billingMode");
	if (pol_cfg_bool(c, "allowProvisionedWithReplicas"))
		return;
	if (pv_kind(bm) == PV_UNKNOWN) {
		pol_unknown(c, "billingMode");
		return;
	}
	if (pv_str(bm) && strcmp(pv_str(bm), "PAY_PER_REQUEST") == 0)
		return;
	if (ddb_has_autoscaling(c, s, st, t))
		return;
	pol_report(c, t->urn, "billingMode",
		   "table %s replicates to other regions with provisioned capacity and no write auto scaling; "
		   "DynamoDB requires replicated writes to be on-demand or auto scaled: set billingMode: "
		   "\"PAY_PER_REQUEST\" or add an aws.appautoscaling.Target/Policy for "
		   "dynamodb:table:WriteCapacityUnits.", t->name);
}

static void check_global_table_stack(struct pol_ctx *c, const struct stk_index *s)
{
	struct arena *a = pol_arena(c);
	const struct pol_resource *t, *tr, *g;
	struct ddb_stack st;
	struct smap seen;        /* "<table index>:<region>" -> first TableReplica there */
	size_t pos, n_tables = stk_type_range(s, T_TABLE, &pos), n_reps = stk_type_range(s, T_REPLICA, &pos);
	unsigned char *flagged = arena_alloc(a, s->n ? s->n : 1);
	if (!flagged)
		return;
	memset(&st, 0, sizeof(st));
	if (smap_init(a, &st.names, n_tables) < 0 || smap_init(a, &seen, n_reps) < 0)
		return;
	STK_FOREACH_TYPE(s, T_TABLE, t) {
		const char *name = pv_str(pv_get(t->props, "name"));
		if (name)
			smap_add(&st.names, name, t->index);
	}

	/* Inline replicas that land on another Table of the stack with the same name. */
	STK_FOREACH_TYPE(s, T_TABLE, t) {
		const pv_value *reps = pv_get(t->props, "replicas"), *rep;
		const char *name = pv_str(pv_get(t->props, "name"));
		if (pv_len(reps) == 0)
			continue;
		ddb_check_capacity(c, s, &st, t);
		PV_LIST_FOREACH(i, rep, reps) {
			const char *rn = pv_str(pv_get(rep, "regionName"));
			const struct pol_resource *o;
			if (!rn || !name)
				continue;
			DDB_EACH(s, &st.names, name, e, o) {
				const char *oreg;
				if (o == t || pol_region(c, o, &oreg) != PV_OK || strcmp(oreg, rn) != 0)
					continue;
				pol_report(c, t->urn, "replicas",
					   "table %s lists a replica in %s, where table %s of this stack already has the same "
					   "name \"%s\"; the replica cannot be created there: create the table once, in the "
					   "primary region, and let replicas create the copies.", t->name, rn, o->name, name);
			}
		}
	}

	STK_FOREACH_TYPE(s, T_REPLICA, tr) {
		const struct pol_resource *table = ddb_replica_table(s, tr);
		const char *rreg = NULL, *treg = NULL;
		int rrc = pol_region(c, tr, &rreg);
		if (!table)
			continue;
		int trc = pol_region(c, table, &treg);
		if (rrc == PV_EUNKNOWN || trc == PV_EUNKNOWN)
			pol_unknown(c, "region");
		if (rrc == PV_OK && trc == PV_OK && strcmp(rreg, treg) == 0)
			pol_report(c, tr->urn, "globalTableArn",
				   "TableReplica %s would be created in %s, the same region as its table %s; a replica "
				   "must live in another region: give it a provider (or v7 region) for the target region.",
				   tr->name, rreg, table->name);
		/* A CMK-encrypted table needs a key in every replica region. */
		const pv_value *tkey = pv_path(table->props, "serverSideEncryption.kmsKeyArn");
		const pv_value *rkey = pv_get(tr->props, "kmsKeyArn");
		if ((pv_kind(tkey) == PV_UNKNOWN || (pv_str(tkey) && *pv_str(tkey))) && pv_kind(rkey) != PV_UNKNOWN &&
		    (!pv_str(rkey) || !*pv_str(rkey)))
			pol_report(c, tr->urn, "kmsKeyArn",
				   "TableReplica %s has no kmsKeyArn while its table %s is encrypted with a "
				   "customer-managed key: set kmsKeyArn to a key (or multi-Region replica key) in the "
				   "replica's region.", tr->name, table->name);
		if (pv_len(pv_get(table->props, "replicas")) > 0)
			pol_report(c, tr->urn, "globalTableArn",
				   "table %s declares replicas inline and is also replicated by TableReplica %s; the two "
				   "fight over the replica set: use one mechanism (Table.replicas or TableReplica).",
				   table->name, tr->name);
		/* Two TableReplicas of the same table in the same region: the first one names the clash. */
		if (rrc == PV_OK) {
			const char *key = arena_printf(a, "%zu:%s", table->index, rreg);
			const struct pol_resource *o;
			if (!key)
				return;
			DDB_EACH(s, &seen, key, e, o) {
				pol_report(c, tr->urn, "globalTableArn",
					   "TableReplica %s and %s both replicate table %s into %s; a global table has one "
					   "replica per region: remove one.", o->name, tr->name, table->name, rreg);
				break;
			}
			if (!smap_next(&seen, key, 0))
				smap_add(&seen, key, tr->index);
		}
		if (!flagged[table->index]) {
			flagged[table->index] = 1;
			int on = 0;
			const char *vt = pv_str(pv_get(table->props, "streamViewType"));
			int rc = pv_get_bool(pv_get(table->props, "streamEnabled"), &on);
			if (rc == PV_EUNKNOWN || pv_kind(pv_get(table->props, "streamViewType")) == PV_UNKNOWN)
				pol_unknown(c, "streamEnabled");
			else if (pol_cfg_bool(c, "requireStreamsWithReplicas") &&
				 (rc != PV_OK || !on || !vt || strcmp(vt, "NEW_AND_OLD_IMAGES") != 0))
				pol_report(c, table->urn, "streamEnabled",
					   "table %s is replicated by TableReplica %s but does not set streamEnabled: true "
					   "with streamViewType \"NEW_AND_OLD_IMAGES\"; replication turns the stream on and "
					   "the next update tries to turn it off: set both.", table->name, tr->name);
			if (pv_len(pv_get(table->props, "replicas")) == 0)
				ddb_check_capacity(c, s, &st, table);
		}
	}

	/* Legacy GlobalTable next to tables of the same name in this stack. */
	STK_FOREACH_TYPE(s, T_GLOBAL, g) {
		const char *name = pv_str(pv_get(g->props, "name"));
		const pv_value *reps = pv_get(g->props, "replicas"), *rep;
		int managed = 0, mixed = 0;
		if (!name)
			continue;
		DDB_EACH(s, &st.names, name, e, t) {
			managed = 1;
			if (pv_len(pv_get(t->props, "replicas")) > 0) {
				mixed = 1;
				pol_report(c, g->urn, "replicas",
					   "legacy GlobalTable %s and table %s both replicate \"%s\" (the table through "
					   "replicas): keep only Table.replicas.", g->name, t->name, name);
			}
		}
		if (!managed || mixed)
			continue;
		PV_LIST_FOREACH(i, rep, reps) {
			const char *rn = pv_str(pv_get(rep, "regionName")), *treg;
			int found = 0;
			if (!rn)
				continue;
			DDB_EACH(s, &st.names, name, e, t)
				if (pol_region(c, t, &treg) == PV_OK && strcmp(treg, rn) == 0)
					found = 1;
			if (!found)
				pol_report(c, g->urn, "replicas",
					   "legacy GlobalTable %s lists %s, but this stack creates no table \"%s\" there; "
					   "version 2017.11.29 needs an identical table (streams NEW_AND_OLD_IMAGES) in every "
					   "region: prefer Table.replicas.", g->name, rn, name);
		}
	}
}

/* ---- the table -------------------------------------------------------------------------------- */

static const struct pol_doc doc_sse = {
	.why = "Seed 001 #6: the table had no server-side encryption block, so it silently used an AWS-owned key, while the requirement was an AWS-managed (or customer-managed) KMS key whose use is visible and auditable. KMS keys are regional, so replica keys must live in the replica regions.",
	.fail_ts = "new aws.dynamodb.Table(\"transactions\", { billingMode: \"PAY_PER_REQUEST\", hashKey: \"id\", attributes: [{ name: \"id\", type: \"S\" }] });",
	.fixed_ts = "new aws.dynamodb.Table(\"transactions\", { billingMode: \"PAY_PER_REQUEST\", hashKey: \"id\", attributes: [{ name: \"id\", type: \"S\" }],\n  serverSideEncryption: { enabled: true } });",
	.fail_py = "aws.dynamodb.Table(\"transactions\", billing_mode=\"PAY_PER_REQUEST\", hash_key=\"id\",\n    attributes=[{\"name\": \"id\", \"type\": \"S\"}])",
	.fixed_py = "aws.dynamodb.Table(\"transactions\", billing_mode=\"PAY_PER_REQUEST\", hash_key=\"id\",\n    attributes=[{\"name\": \"id\", \"type\": \"S\"}],\n    server_side_encryption={\"enabled\": True})",
};

static const struct pol_doc doc_pitr = {
	.why = "Production tables in the seeds (001, 002) had no point-in-time recovery, so an accidental delete or bad write could not be rolled back. Global-table replicas do not inherit the setting.",
	.fail_ts = "new aws.dynamodb.Table(\"orders\", { /* no pointInTimeRecovery */ });",
	.fixed_ts = "new aws.dynamodb.Table(\"orders\", { pointInTimeRecovery: { enabled: true },\n  replicas: [{ regionName: \"us-west-2\", pointInTimeRecovery: true }] });",
	.fail_py = "aws.dynamodb.Table(\"orders\", ...)",
	.fixed_py = "aws.dynamodb.Table(\"orders\", point_in_time_recovery={\"enabled\": True},\n    replicas=[{\"region_name\": \"us-west-2\", \"point_in_time_recovery\": True}], ...)",
};

static const struct pol_doc doc_global = {
	.why = "Seed 001 #9: replicas were listed with a conditional provider, so one table listed its own region as a replica and none enabled streams; seed 002 #7: a TableReplica was created in the primary table's region. DynamoDB rejects local-region replicas, and replication needs NEW_AND_OLD_IMAGES streams.",
	.fail_ts = "new aws.dynamodb.Table(\"events\", { /* provider us-west-2 */\n  replicas: [{ regionName: \"us-west-2\" }] });",
	.fixed_ts = "new aws.dynamodb.Table(\"events\", { /* provider us-east-1 */\n  streamEnabled: true, streamViewType: \"NEW_AND_OLD_IMAGES\",\n  replicas: [{ regionName: \"us-west-2\", pointInTimeRecovery: true }] }, { provider: usEast1 });",
	.fail_py = "aws.dynamodb.Table(\"events\", replicas=[{\"region_name\": r} for r in regions if r != PRIMARY],\n    opts=pulumi.ResourceOptions(provider=provider if region != \"us-east-1\" else None))",
	.fixed_py = "aws.dynamodb.Table(\"events\", stream_enabled=True, stream_view_type=\"NEW_AND_OLD_IMAGES\",\n    replicas=[{\"region_name\": \"us-west-2\", \"point_in_time_recovery\": True}],\n    opts=pulumi.ResourceOptions(provider=us_east_1))",
};

static const struct pol_doc doc_global_stack = {
	.why = "Seed 002 #7: TableReplica resources were created with globalTableArn = table.arn in the same region as the table. In preview the ARN is unknown, so only the stack graph (propertyDependencies) shows which table a replica belongs to and in which region each is created.",
	.fail_ts = "new aws.dynamodb.TableReplica(\"items-replica\", { globalTableArn: table.arn }, { provider: sameRegionAsTable });",
	.fixed_ts = "new aws.dynamodb.TableReplica(\"items-replica\", { globalTableArn: table.arn, pointInTimeRecovery: true }, { provider: usWest2 });",
	.fail_py = "aws.dynamodb.TableReplica(\"items-replica\", global_table_arn=table.arn)  # default provider = table's region",
	.fixed_py = "aws.dynamodb.TableReplica(\"items-replica\", global_table_arn=table.arn, point_in_time_recovery=True,\n    opts=pulumi.ResourceOptions(provider=us_west_2))",
};

static const struct policy policies[] = {
	{
		.name = "dynamodb-sse-explicitly-enabled",
		.display_name = "DynamoDB encryption uses a KMS key",
		.description = "DynamoDB tables must enable server-side encryption with a KMS key (AWS-managed or customer-managed), and replica keys must be in the replica's region.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_TABLE, T_REPLICA),
		.config_schema = "{\"requireCustomerManagedKey\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Require a customer-managed KMS key (kmsKeyArn) instead of the AWS-managed alias/aws/dynamodb.\"}}",
		.remediation_steps = "Set serverSideEncryption: { enabled: true } (add kmsKeyArn for a customer-managed key); give each replica a kmsKeyArn in its own region when the table uses a customer-managed key.",
		.tags = "dynamodb,encryption,kms",
		.url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
		.check = check_sse,
		.doc = &doc_sse,
	},
	{
		.name = "dynamodb-pitr-enabled",
		.display_name = "DynamoDB point-in-time recovery enabled",
		.description = "DynamoDB tables and their replicas must have point-in-time recovery enabled.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(T_TABLE, T_REPLICA),
		.config_schema = "{\"minRecoveryDays\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 35, \"default\": 1, "
			"\"description\": \"Smallest accepted pointInTimeRecovery.recoveryPeriodInDays.\"}, "
			"\"checkReplicas\": {\"type\": \"boolean\", \"default\": true, "
			"\"description\": \"Also require point-in-time recovery on replicas (inline replicas and TableReplica).\"}}",
		.remediation_steps = "Set pointInTimeRecovery: { enabled: true } on the table and pointInTimeRecovery: true on every replica.",
		.tags = "dynamodb,backup,resilience",
		.url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",
		.check = check_pitr,
		.doc = &doc_pitr,
	},
	{
		.name = "dynamodb-global-table-valid",
		.display_name = "DynamoDB global table replicas are valid",
		.description = "DynamoDB replicas must be in distinct valid regions other than the table's own, on a table with NEW_AND_OLD_IMAGES streams, using the current global tables version.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_TABLE, T_REPLICA, T_GLOBAL),
		.config_schema = "{\"requireStreamsWithReplicas\": {\"type\": \"boolean\", \"default\": true, "
			"\"description\": \"Require streamEnabled: true and streamViewType NEW_AND_OLD_IMAGES on replicated tables.\"}, "
			"\"allowLegacyGlobalTable\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Accept aws.dynamodb.GlobalTable (legacy version 2017.11.29).\"}}",
		.remediation_steps = "Create the table once with the primary region's provider; list only the other regions in replicas (or TableReplica with providers for those regions); set streamEnabled: true and streamViewType: \"NEW_AND_OLD_IMAGES\".",
		.tags = "dynamodb,multi-region,resilience",
		.url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html",
		.check = check_global_table,
		.doc = &doc_global,
	},
	{
		.name = "dynamodb-global-table-stack-valid",
		.display_name = "DynamoDB replicas fit the tables they replicate",
		.description = "A TableReplica must be in another region than its table, alone in its region, not mixed with inline replicas, and have its own key when the table uses a customer-managed key; replicated tables need streams and on-demand or auto-scaled writes; inline replicas must not collide with tables of the same name.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(T_TABLE, T_REPLICA, T_GLOBAL, T_SCALING),
		.config_schema = "{\"requireStreamsWithReplicas\": {\"type\": \"boolean\", \"default\": true, "
			"\"description\": \"Require streamEnabled: true and NEW_AND_OLD_IMAGES on tables replicated by TableReplica.\"}, "
			"\"allowProvisionedWithReplicas\": {\"type\": \"boolean\", \"default\": false, "
			"\"description\": \"Accept replicated tables with provisioned capacity and no write auto scaling.\"}}",
		.remediation_steps = "Give each TableReplica a provider (or v7 region) for a region other than the table's; use either Table.replicas or TableReplica; set streamEnabled/streamViewType on the table; use PAY_PER_REQUEST or auto scaling for replicated tables.",
		.tags = "dynamodb,multi-region,resilience",
		.url = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_reqs_bestpractices.html",
		.check_stack = check_global_table_stack,
		.doc = &doc_global_stack,
	},
};

const struct pol_family pol_family_dynamodb = { "dynamodb", policies, sizeof(policies) / sizeof(policies[0]) };
