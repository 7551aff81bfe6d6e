/*
 * pack.c - the policy registry and its configuration (see pack.h).
 *
 * The registry is built once from the family tables. Configuration follows
 * the official SDKs: schema defaults and the policy's own level, then the
 * pack's initialConfig, then what the engine sends in Configure (which
 * already merged the user's --policy-pack-config or Pulumi Cloud config).
 */
#include "pack.h"

#include <ctype.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "families.h"

POL_FAMILIES(POL_FAMILY_DECLARE)

static const struct pol_family *const families[] = {
#define X(name) &pol_family_##name,
	POL_FAMILIES(X)
#undef X
};

static const char *const pack_tags[] = { "aws", "security", "reliability", "cost", NULL };

const struct pack_meta pack_meta = {
	.name = "aws-guard-c",
	.display_name = "AWS Guard (C)",
	.version = PC_VERSION,
	.description = "Catches AWS infrastructure mistakes in Pulumi programs before they deploy: "
		       "provider and region scoping, IAM least privilege, Lambda, DynamoDB, "
		       "EventBridge and S3 wiring, alarms, networking, TLS, DNS failover and more.",
	.readme = "# AWS Guard (C)\n\n"
		  "A native CrossGuard policy pack for pulumi-aws v6 and v7. Every policy reports "
		  "what is wrong, which property is at fault and how to fix it. Unknown values "
		  "during preview are never violations. Configure levels and knobs with "
		  "`--policy-pack-config` exactly as for any other pack; each policy also accepts "
		  "`onUnknown` (skip|advisory) and `exclude` (URN/name globs).\n",
	.provider = "aws",
	.repository = "",
	.tags = pack_tags,
};

/* Knobs every policy has, added by the registry (the engine adds enforcementLevel). */
static const char common_schema[] =
	"{\"onUnknown\":{\"type\":\"string\",\"enum\":[\"skip\",\"advisory\"],\"default\":\"skip\","
	"\"description\":\"What to do when a value the policy needs is unknown during preview: "
	"skip (report not-applicable) or advisory (emit an advisory note).\"},"
	"\"exclude\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"default\":[],"
	"\"description\":\"Resources this policy must not judge: glob patterns ('*', '?') matched "
	"against the URN, the resource name and 'type::name'.\"}}";

struct snap_node {
	struct snap_node *next;
	struct arena arena;
	struct pack_snapshot snap;
};

struct pack_private {
	struct arena reg_arena;          /* registry: schemas, defaults, reasons */
	pthread_mutex_t lock;            /* serialises writers */
	_Atomic(struct pack_snapshot *) cur;
	struct snap_node *snaps;         /* every snapshot ever published, newest first */
	struct pack_layer initial;       /* deep copy in its own snapshot arena */
	struct pack_layer configured;
	int has_configured;
};

/* ---- names ------------------------------------------------------------------- */

const char *pack_level_name(enum pol_level l)
{
	switch (l) {
	case POL_ADVISORY: return "advisory";
	case POL_MANDATORY: return "mandatory";
	case POL_DISABLED: return "disabled";
	case POL_REMEDIATE: return "remediate";
	default: return NULL;
	}
}

int pack_level_parse(const char *s, enum pol_level *out)
{
	static const enum pol_level levels[] = { POL_ADVISORY, POL_MANDATORY, POL_DISABLED, POL_REMEDIATE };
	for (size_t i = 0; i < 4; i++)
		if (s && strcmp(s, pack_level_name(levels[i])) == 0) {
			*out = levels[i];
			return 0;
		}
	return -1;
}

const char *pack_severity_name(enum pol_severity s)
{
	switch (s) {
	case POL_SEV_UNSPECIFIED: return "unspecified";
	case POL_SEV_LOW: return "low";
	case POL_SEV_MEDIUM: return "medium";
	case POL_SEV_HIGH: return "high";
	case POL_SEV_CRITICAL: return "critical";
	}
	return NULL;
}

void pack_err_free(char *err)
{
	free(err);
}

static char *errf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *errf(const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* ---- registry ---------------------------------------------------------------- */

static int valid_name(const char *n)
{
	size_t len = n ? strlen(n) : 0;
	if (len == 0 || len > 100 || strcmp(n, "all") == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!(islower((unsigned char)n[i]) || isdigit((unsigned char)n[i]) || n[i] == '-'))
			return 0;
	return n[0] != '-' && n[len - 1] != '-';
}

static int cmp_policy_name(const void *a, const void *b)
{
	const struct pack_policy *x = a, *y = b;
	return strcmp(x->p->name, y->p->name);
}

/* Build "Policy only applies to resources of type 'a', 'b'" once per policy. */
static const char *type_reason(struct arena *a, const struct policy *p)
{
	if (!p->types)
		return "";
	size_t len = 64;
	for (const char *const *t = p->types; *t; t++)
		len += strlen(*t) + 4;
	char *s = arena_alloc(a, len);
	if (!s)
		return NULL;
	strcpy(s, "Policy only applies to resources of type ");
	for (const char *const *t = p->types; *t; t++) {
		if (t != p->types)
			strcat(s, ", ");
		strcat(s, "'");
		strcat(s, *t);
		strcat(s, "'");
	}
	return s;
}

/* Schema = the policy's knobs + the common ones; defaults collected from "default". */
static int build_schema(struct arena *a, const pv_value *common, struct pack_policy *pp, char **err)
{
	const char *msg = NULL;
	const pv_value *own = NULL;
	if (pp->p->config_schema) {
		own = pv_parse_json(a, pp->p->config_schema, strlen(pp->p->config_schema), &msg);
		if (!own || pv_kind(own) != PV_OBJECT) {
			*err = errf("policy '%s': config_schema is not a JSON object (%s)", pp->p->name,
				    msg ? msg : "not an object");
			return -1;
		}
	}
	pv_value *schema = pv_new_obj(a), *defaults = pv_new_obj(a);
	if (!schema || !defaults)
		goto oom;
	const pv_value *parts[2] = { own, common };
	for (int k = 0; k < 2; k++) {
		const char *key;
		const pv_value *prop;
		PV_OBJ_FOREACH(i, key, prop, parts[k]) {
			if (strcmp(key, "enforcementLevel") == 0) {
				*err = errf("policy '%s': config_schema must not declare 'enforcementLevel' "
					    "(the engine adds it)", pp->p->name);
				return -1;
			}
			if (k == 1 && pv_get(schema, key)) {
				*err = errf("policy '%s': config_schema must not declare the common knob '%s'",
					    pp->p->name, key);
				return -1;
			}
			if (pv_kind(prop) != PV_OBJECT || !pv_str(pv_get(prop, "type"))) {
				*err = errf("policy '%s': knob '%s' needs a JSON-schema object with a \"type\"",
					    pp->p->name, key);
				return -1;
			}
			schema = pv_obj_with(a, schema, key, (pv_value *)prop);
			if (!schema)
				goto oom;
			const pv_value *d = pv_get(prop, "default");
			if (d && !(defaults = pv_obj_with(a, defaults, key, (pv_value *)d)))
				goto oom;
		}
	}
	pp->schema = schema;
	pp->defaults = defaults;
	return 0;
oom:
	*err = errf("out of memory building the policy registry");
	return -1;
}

static int publish_defaults(struct pack *pk, char **err);

int pack_init(struct pack *pk, char **err)
{
	*err = NULL;
	memset(pk, 0, sizeof(*pk));
	struct pack_private *pv = calloc(1, sizeof(*pv));
	if (!pv) {
		*err = errf("out of memory");
		return -1;
	}
	pk->priv = pv;
	arena_init(&pv->reg_arena, 0);
	pthread_mutex_init(&pv->lock, NULL);
	atomic_init(&pv->cur, NULL);

	size_t total = 0;
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		total += families[f]->n;
	/* Parsed once: every policy's schema shares these knob objects (the registry is read-only). */
	const char *msg = NULL;
	const pv_value *common = pv_parse_json(&pv->reg_arena, common_schema, sizeof(common_schema) - 1, &msg);
	if (!common) {
		*err = errf("internal: common schema: %s", msg ? msg : "?");
		goto fail;
	}
	pk->policies = arena_alloc(&pv->reg_arena, (total ? total : 1) * sizeof(*pk->policies));
	if (!pk->policies) {
		*err = errf("out of memory");
		goto fail;
	}
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		for (size_t i = 0; i < families[f]->n; i++) {
			const struct policy *p = &families[f]->policies[i];
			struct pack_policy *pp = &pk->policies[pk->n];
			pp->p = p;
			pp->index = pk->n;
			if (!valid_name(p->name)) {
				*err = errf("family '%s': invalid policy name '%s' (kebab-case, not 'all')",
					    families[f]->name, p->name ? p->name : "(null)");
				goto fail;
			}
			if (!p->description || !*p->description || !p->display_name) {
				*err = errf("policy '%s': description and display_name are required", p->name);
				goto fail;
			}
			if (!(p->level == POL_LEVEL_INHERIT || pack_level_name(p->level))) {
				*err = errf("policy '%s': invalid enforcement level %d", p->name, (int)p->level);
				goto fail;
			}
			if (!pack_severity_name(p->severity)) {
				*err = errf("policy '%s': invalid severity %d", p->name, (int)p->severity);
				goto fail;
			}
			if (!p->check == !p->check_stack) {
				*err = errf("policy '%s': exactly one of check / check_stack must be set", p->name);
				goto fail;
			}
			if (p->remediate && !p->check) {
				*err = errf("policy '%s': only resource policies can remediate", p->name);
				goto fail;
			}
			if (build_schema(&pv->reg_arena, common, pp, err) < 0)
				goto fail;
			if (!(pp->na_type_reason = type_reason(&pv->reg_arena, p))) {
				*err = errf("out of memory");
				goto fail;
			}
			pk->n++;
		}
	}
	/* Unique names: check on a sorted copy, keep table order for everything else. */
	if (pk->n > 1) {
		struct pack_policy *sorted = malloc(pk->n * sizeof(*sorted));
		if (!sorted) {
			*err = errf("out of memory");
			goto fail;
		}
		memcpy(sorted, pk->policies, pk->n * sizeof(*sorted));
		qsort(sorted, pk->n, sizeof(*sorted), cmp_policy_name);
		for (size_t i = 1; i < pk->n; i++)
			if (strcmp(sorted[i - 1].p->name, sorted[i].p->name) == 0) {
				*err = errf("duplicate policy name '%s'", sorted[i].p->name);
				free(sorted);
				goto fail;
			}
		free(sorted);
	}
	if (publish_defaults(pk, err) < 0)
		goto fail;
	return 0;
fail:
	if (!*err)
		*err = errf("cannot initialise the policy registry");
	pack_free(pk);
	return -1;
}

void pack_free(struct pack *pk)
{
	struct pack_private *pv = pk->priv;
	if (!pv)
		return;
	struct snap_node *s = pv->snaps;
	while (s) {
		struct snap_node *next = s->next;
		arena_release(&s->arena);
		free(s);
		s = next;
	}
	arena_release(&pv->reg_arena);
	pthread_mutex_destroy(&pv->lock);
	free(pv);
	pk->priv = NULL;
	pk->policies = NULL;
	pk->n = 0;
}

const struct pack_policy *pack_find(const struct pack *pk, const char *name)
{
	for (size_t i = 0; i < pk->n; i++)
		if (strcmp(pk->policies[i].p->name, name) == 0)
			return &pk->policies[i];
	return NULL;
}

const struct pack_snapshot *pack_snapshot(const struct pack *pk)
{
	return atomic_load_explicit(&pk->priv->cur, memory_order_acquire);
}

/* ---- snapshots --------------------------------------------------------------- */

static struct snap_node *snap_new(const struct pack_snapshot *prev)
{
	struct snap_node *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	arena_init(&n->arena, 0);
	if (prev)
		n->snap = *prev;   /* share everything immutable; writers replace parts */
	return n;
}

/* Caller holds the lock. */
static void snap_publish(struct pack *pk, struct snap_node *n)
{
	n->next = pk->priv->snaps;
	pk->priv->snaps = n;
	atomic_store_explicit(&pk->priv->cur, &n->snap, memory_order_release);
}

static void snap_discard(struct snap_node *n)
{
	arena_release(&n->arena);
	free(n);
}

static const struct pol_stack_info empty_stack = { "", "", "", 1, 0 };

static int publish_defaults(struct pack *pk, char **err)
{
	struct snap_node *n = snap_new(NULL);
	struct pack_setting *set = n ? arena_alloc(&n->arena, (pk->n ? pk->n : 1) * sizeof(*set)) : NULL;
	if (!set) {
		if (n)
			snap_discard(n);
		*err = errf("out of memory");
		return -1;
	}
	for (size_t i = 0; i < pk->n; i++) {
		enum pol_level l = pk->policies[i].p->level;
		set[i].level = l == POL_LEVEL_INHERIT ? POL_ADVISORY : l;
		set[i].props = NULL;
	}
	n->snap.settings = set;
	n->snap.stack = &empty_stack;
	n->snap.version = pack_meta.version;
	n->snap.pack_dir = "";
	pthread_mutex_lock(&pk->priv->lock);
	snap_publish(pk, n);
	pthread_mutex_unlock(&pk->priv->lock);
	return 0;
}

/* ---- layers ------------------------------------------------------------------ */

/* Does `v` satisfy the JSON-schema subset we use (type, enum, items, minimum, maximum)? */
static const char *schema_check(const pv_value *schema, const pv_value *v, int depth)
{
	if (depth > 8)
		return "is nested too deeply";
	const char *type = pv_str(pv_get(schema, "type"));
	enum pv_kind k = pv_kind(v);
	if (type) {
		int ok;
		if (strcmp(type, "string") == 0)
			ok = k == PV_STRING;
		else if (strcmp(type, "boolean") == 0)
			ok = k == PV_BOOL;
		else if (strcmp(type, "number") == 0)
			ok = k == PV_NUMBER;
		else if (strcmp(type, "integer") == 0) {
			double d;
			ok = k == PV_NUMBER && pv_get_num(v, &d) == PV_OK && d == (double)(long long)d;
		} else if (strcmp(type, "array") == 0)
			ok = k == PV_LIST;
		else if (strcmp(type, "object") == 0)
			ok = k == PV_OBJECT;
		else
			ok = 1;
		if (!ok) {
			if (strcmp(type, "array") == 0)
				return "must be an array";
			if (strcmp(type, "object") == 0)
				return "must be an object";
			if (strcmp(type, "integer") == 0)
				return "must be an integer";
			if (strcmp(type, "boolean") == 0)
				return "must be a boolean";
			if (strcmp(type, "number") == 0)
				return "must be a number";
			return "must be a string";
		}
	}
	const pv_value *en = pv_get(schema, "enum");
	if (en && pv_len(en)) {
		int found = 0;
		const pv_value *e;
		PV_LIST_FOREACH(i, e, en)
			if (pv_equal(e, v))
				found = 1;
		if (!found)
			return "is not one of the allowed values";
	}
	double lim, d;
	if (k == PV_NUMBER && pv_get_num(v, &d) == PV_OK) {
		if (pv_get_num(pv_get(schema, "minimum"), &lim) == PV_OK && d < lim)
			return "is below the minimum";
		if (pv_get_num(pv_get(schema, "maximum"), &lim) == PV_OK && d > lim)
			return "is above the maximum";
	}
	const pv_value *items = pv_get(schema, "items");
	if (k == PV_LIST && items) {
		const pv_value *e;
		PV_LIST_FOREACH(i, e, v) {
			const char *why = schema_check(items, e, depth + 1);
			if (why)
				return why[0] == 'i' ? "has an element that is not one of the allowed values"
						     : "has an element of the wrong type";
		}
	}
	return NULL;
}

int pack_layer_validate(const struct pack *pk, const struct pack_layer *l, char **err)
{
	*err = NULL;
	for (size_t i = 0; l && i < l->n; i++) {
		const struct pack_layer_entry *e = &l->e[i];
		const struct pack_policy *pp = pack_find(pk, e->policy);
		if (!pp)
			continue;   /* "all" and names we do not know: accepted, ignored */
		if (e->level != POL_LEVEL_INHERIT && !pack_level_name(e->level)) {
			*err = errf("policy '%s': invalid enforcement level %d", e->policy, (int)e->level);
			return -1;
		}
		if (!e->props)
			continue;
		if (pv_kind(e->props) != PV_OBJECT) {
			*err = errf("policy '%s': configuration must be an object", e->policy);
			return -1;
		}
		const char *key;
		const pv_value *v;
		PV_OBJ_FOREACH(j, key, v, e->props) {
			const pv_value *s = pv_get(pp->schema, key);
			if (!s || strcmp(key, "enforcementLevel") == 0)
				continue;   /* like the engine's JSON schema: extra properties are allowed */
			const char *why = schema_check(s, v, 0);
			if (why) {
				*err = errf("policy '%s': property '%s' %s", e->policy, key, why);
				return -1;
			}
		}
	}
	return 0;
}

/* Deep-copy a layer into `a`. */
static int layer_copy(struct arena *a, const struct pack_layer *src, struct pack_layer *dst)
{
	dst->n = 0;
	dst->e = NULL;
	if (!src || !src->n)
		return 0;
	dst->e = arena_alloc(a, src->n * sizeof(*dst->e));
	if (!dst->e)
		return -1;
	for (size_t i = 0; i < src->n; i++) {
		dst->e[i].policy = arena_strdup(a, src->e[i].policy);
		dst->e[i].level = src->e[i].level;
		dst->e[i].props = src->e[i].props ? pv_copy(a, src->e[i].props) : NULL;
		if (!dst->e[i].policy || (src->e[i].props && !dst->e[i].props))
			return -1;
	}
	dst->n = src->n;
	return 0;
}

/* The level one layer gives a policy that had `cur`: "all" first, then its own entry (SDK order). */
static enum pol_level layer_level(const struct pack_layer *l, const char *name, enum pol_level cur)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->e[i].policy, "all") == 0 && l->e[i].level != POL_LEVEL_INHERIT)
			cur = l->e[i].level;
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->e[i].policy, name) == 0 && l->e[i].level != POL_LEVEL_INHERIT)
			cur = l->e[i].level;
	return cur;
}

static enum pol_level default_level(const struct policy *p)
{
	return p->level == POL_LEVEL_INHERIT ? POL_ADVISORY : p->level;
}

/* Apply one layer onto settings. */
static void layer_apply(const struct pack *pk, const struct pack_layer *l, struct pack_setting *set)
{
	if (!l)
		return;
	for (size_t k = 0; k < pk->n; k++)
		set[k].level = layer_level(l, pk->policies[k].p->name, set[k].level);
	for (size_t i = 0; i < l->n; i++) {
		const struct pack_policy *pp = pack_find(pk, l->e[i].policy);
		if (pp && l->e[i].props)
			set[pp->index].props = l->e[i].props;
	}
}

enum pol_level pack_initial_level(const struct pack *pk, const struct pack_policy *pp)
{
	return layer_level(&pk->priv->initial, pp->p->name, default_level(pp->p));
}

/* Recompute settings from defaults + initial + configured and publish. Lock held. */
static int republish(struct pack *pk, char **err)
{
	struct pack_private *pv = pk->priv;
	struct snap_node *n = snap_new(pack_snapshot(pk));
	struct pack_setting *set = n ? arena_alloc(&n->arena, (pk->n ? pk->n : 1) * sizeof(*set)) : NULL;
	if (!set) {
		if (n)
			snap_discard(n);
		*err = errf("out of memory");
		return -1;
	}
	for (size_t i = 0; i < pk->n; i++) {
		set[i].level = default_level(pk->policies[i].p);
		set[i].props = NULL;
	}
	layer_apply(pk, &pv->initial, set);
	if (pv->has_configured)
		layer_apply(pk, &pv->configured, set);
	n->snap.settings = set;
	snap_publish(pk, n);
	return 0;
}

static int set_layer(struct pack *pk, const struct pack_layer *l, int which, char **err)
{
	if (pack_layer_validate(pk, l, err) < 0)
		return -1;
	struct pack_private *pv = pk->priv;
	pthread_mutex_lock(&pv->lock);
	/* The copy lives in a snapshot node of its own so it is freed with the pack. */
	struct snap_node *holder = snap_new(pack_snapshot(pk));
	struct pack_layer copy;
	int rc = -1;
	if (!holder || layer_copy(&holder->arena, l, &copy) < 0) {
		if (holder)
			snap_discard(holder);
		*err = errf("out of memory");
		goto out;
	}
	holder->next = pv->snaps;   /* keep alive, never current */
	pv->snaps = holder;
	if (which == 0) {
		pv->initial = copy;
	} else {
		pv->configured = copy;
		pv->has_configured = 1;
	}
	rc = republish(pk, err);
out:
	pthread_mutex_unlock(&pv->lock);
	return rc;
}

int pack_configure(struct pack *pk, const struct pack_layer *layer, char **err)
{
	*err = NULL;
	return set_layer(pk, layer, 1, err);
}

int pack_set_initial(struct pack *pk, const struct pack_layer *initial, char **err)
{
	*err = NULL;
	return set_layer(pk, initial, 0, err);
}

const struct pack_layer *pack_initial(const struct pack *pk)
{
	return &pk->priv->initial;
}

/* ---- stack context ----------------------------------------------------------- */

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct pack_kv *)a)->key, ((const struct pack_kv *)b)->key);
}

static int is_secret_key(const struct pack_stack_args *s, const char *key)
{
	for (size_t i = 0; i < s->n_secret_keys; i++)
		if (s->secret_keys[i] && strcmp(s->secret_keys[i], key) == 0)
			return 1;
	return 0;
}

static struct pack_kv *copy_kvs(struct arena *a, const struct pack_kv *src, size_t n, size_t *out_n,
				const struct pack_stack_args *skip_secrets)
{
	struct pack_kv *kv = arena_alloc(a, (n ? n : 1) * sizeof(*kv));
	size_t k = 0;
	if (!kv)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!src[i].key || (skip_secrets && is_secret_key(skip_secrets, src[i].key)))
			continue;
		kv[k].key = arena_strdup(a, src[i].key);
		kv[k].value = arena_strdup(a, src[i].value ? src[i].value : "");
		if (!kv[k].key || !kv[k].value)
			return NULL;
		k++;
	}
	qsort(kv, k, sizeof(*kv), cmp_kv);
	*out_n = k;
	return kv;
}

int pack_set_stack(struct pack *pk, const struct pack_stack_args *s)
{
	struct pack_private *pv = pk->priv;
	pthread_mutex_lock(&pv->lock);
	struct snap_node *n = snap_new(pack_snapshot(pk));
	int rc = -1;
	if (!n)
		goto out;
	struct pol_stack_info *info = arena_alloc(&n->arena, sizeof(*info));
	if (!info)
		goto fail;
	info->stack = arena_strdup(&n->arena, s->stack);
	info->project = arena_strdup(&n->arena, s->project);
	info->organization = arena_strdup(&n->arena, s->organization);
	info->dry_run = s->dry_run ? 1 : 0;
	info->configured = 1;
	if (!info->stack || !info->project || !info->organization)
		goto fail;
	struct pack_kv *cfg = copy_kvs(&n->arena, s->config, s->n_config, &n->snap.n_config, s);
	struct pack_kv *tags = copy_kvs(&n->arena, s->tags, s->n_tags, &n->snap.n_tags, NULL);
	if (!cfg || !tags)
		goto fail;
	n->snap.config = cfg;
	n->snap.tags = tags;
	n->snap.stack = info;
	snap_publish(pk, n);
	rc = 0;
	goto out;
fail:
	snap_discard(n);
out:
	pthread_mutex_unlock(&pv->lock);
	return rc;
}

int pack_set_dir(struct pack *pk, const char *dir, const char *version_override)
{
	struct pack_private *pv = pk->priv;
	pthread_mutex_lock(&pv->lock);
	struct snap_node *n = snap_new(pack_snapshot(pk));
	int rc = -1;
	if (!n)
		goto out;
	if (dir && !(n->snap.pack_dir = arena_strdup(&n->arena, dir)))
		goto fail;
	if (version_override && *version_override &&
	    !(n->snap.version = arena_strdup(&n->arena, version_override)))
		goto fail;
	snap_publish(pk, n);
	rc = 0;
	goto out;
fail:
	snap_discard(n);
out:
	pthread_mutex_unlock(&pv->lock);
	return rc;
}

/* ---- --policy-pack-config ----------------------------------------------------- */

int pack_layer_parse_json(struct arena *a, const char *text, size_t len, struct pack_layer *out, char **err)
{
	*err = NULL;
	out->n = 0;
	out->e = NULL;
	/* An empty file is allowed (crossguard-features 1a). */
	size_t k = 0;
	while (k < len && isspace((unsigned char)text[k]))
		k++;
	if (k == len)
		return 0;
	const char *msg = NULL;
	const pv_value *root = pv_parse_json(a, text, len, &msg);
	if (!root) {
		*err = errf("policy pack config is not valid JSON: %s", msg ? msg : "?");
		return -1;
	}
	if (pv_kind(root) != PV_OBJECT) {
		*err = errf("policy pack config must be a JSON object");
		return -1;
	}
	size_t n = pv_obj_size(root);
	out->e = arena_alloc(a, (n ? n : 1) * sizeof(*out->e));
	if (!out->e) {
		*err = errf("out of memory");
		return -1;
	}
	const char *key;
	const pv_value *v;
	PV_OBJ_FOREACH(i, key, v, root) {
		struct pack_layer_entry *e = &out->e[out->n];
		e->policy = key;
		e->level = POL_LEVEL_INHERIT;
		e->props = NULL;
		if (strcmp(key, "environments") == 0) {
			const pv_value *env;
			if (pv_kind(v) != PV_LIST) {
				*err = errf("\"environments\" must be an array of strings");
				return -1;
			}
			PV_LIST_FOREACH(j, env, v)
				if (pv_kind(env) != PV_STRING) {
					*err = errf("\"environments\" must be an array of strings");
					return -1;
				}
			continue;   /* ESC environments are resolved by the engine, not by us */
		}
		if (pv_kind(v) == PV_STRING) {
			if (pack_level_parse(pv_str(v), &e->level) < 0) {
				*err = errf("parsing enforcement level for \"%s\": \"%s\" is not a valid "
					    "enforcement level", key, pv_str(v));
				return -1;
			}
		} else if (pv_kind(v) == PV_OBJECT) {
			const pv_value *lv = pv_get(v, "enforcementLevel");
			if (lv) {
				if (pv_kind(lv) != PV_STRING) {
					*err = errf("parsing enforcement level for \"%s\": must be a string", key);
					return -1;
				}
				if (pack_level_parse(pv_str(lv), &e->level) < 0) {
					*err = errf("parsing enforcement level for \"%s\": \"%s\" is not a valid "
						    "enforcement level", key, pv_str(lv));
					return -1;
				}
			}
			pv_value *props = pv_new_obj(a);
			const char *pk2;
			const pv_value *pvv;
			size_t nprops = 0;
			PV_OBJ_FOREACH(j, pk2, pvv, v) {
				if (strcmp(pk2, "enforcementLevel") == 0)
					continue;
				if (!props || !(props = pv_obj_with(a, props, pk2, (pv_value *)pvv))) {
					*err = errf("out of memory");
					return -1;
				}
				nprops++;
			}
			if (nprops)
				e->props = props;
		} else {
			*err = errf("policy \"%s\": value must be an enforcement level or an object", key);
			return -1;
		}
		if (e->level == POL_LEVEL_INHERIT && !e->props)
			continue;   /* neither a level nor properties: dropped, as the engine does */
		out->n++;
	}
	return 0;
}
