/*
 * pack.h - the loaded policy pack: metadata, the policy registry and the
 * current configuration, shared by the gRPC server, check mode and tests.
 *
 * Threading: the registry is immutable after pack_init. Configuration and
 * stack context are immutable snapshots published with an atomic pointer
 * swap (pack_configure / pack_set_stack); readers take a snapshot with
 * pack_snapshot and use it for a whole request. Old snapshots are kept until
 * pack_free, so a reader never sees freed memory.
 */
#ifndef PC_PACK_H
#define PC_PACK_H

#include <stddef.h>

#include "policy.h"

/* Pack metadata (AnalyzerInfo). The version has one source: PC_VERSION from CMake. */
struct pack_meta {
	const char *name;
	const char *display_name;
	const char *version;
	const char *description;
	const char *readme;
	const char *provider;
	const char *repository;
	const char *const *tags;
};
extern const struct pack_meta pack_meta;

/* One policy of the registry with its parsed schema. */
struct pack_policy {
	const struct policy *p;
	size_t index;
	const pv_value *schema;      /* properties object incl. common knobs; never NULL */
	const pv_value *defaults;    /* object of knob -> default; never NULL */
	const char *na_type_reason;  /* "Policy only applies to resources of type ..." */
};

/* Resolved setting of one policy. */
struct pack_setting {
	enum pol_level level;        /* never POL_LEVEL_INHERIT */
	const pv_value *props;       /* configured knobs (object) or NULL = defaults only */
};

/* Key/value pair (stack config and tags). */
struct pack_kv {
	const char *key;
	const char *value;
};

/* Immutable configuration snapshot. */
struct pack_snapshot {
	const struct pack_setting *settings;   /* indexed like the registry */
	const struct pol_stack_info *stack;
	size_t n_config;
	const struct pack_kv *config;          /* stack config, secrets removed, sorted by key */
	size_t n_tags;
	const struct pack_kv *tags;
	const char *version;                   /* may be overridden by PulumiPolicy.yaml */
	const char *pack_dir;                  /* "" when unknown */
};

struct pack {
	size_t n;
	struct pack_policy *policies;
	/* private */
	struct pack_private *priv;
};

/*
 * Build the registry from policies/families.h, validate it (unique names,
 * valid levels and severities, exactly one check function, schemas that
 * parse and have defaults) and install the default configuration. Returns 0,
 * or -1 with a message in *err (static or heap string; free with pack_err_free).
 */
int pack_init(struct pack *pk, char **err);
void pack_free(struct pack *pk);
void pack_err_free(char *err);

/* Registry lookup by policy name (exact), or NULL. */
const struct pack_policy *pack_find(const struct pack *pk, const char *name);

/* Current configuration snapshot; never NULL after pack_init. */
const struct pack_snapshot *pack_snapshot(const struct pack *pk);

/*
 * One layer of configuration as the engine or a config file states it: for
 * some policies a level and/or knob values. `level` is POL_LEVEL_INHERIT when
 * the layer does not set one.
 */
struct pack_layer_entry {
	const char *policy;          /* policy name; "all" sets every level; unknown names are ignored */
	enum pol_level level;
	const pv_value *props;       /* object or NULL */
};
struct pack_layer {
	size_t n;
	struct pack_layer_entry *e;
};

/*
 * Validate a layer against the schemas: every knob of a known policy must
 * exist in its schema and have the declared JSON type. Returns 0, or -1 with
 * a clear message in *err ("policy 'x': property 'y' must be a boolean").
 */
int pack_layer_validate(const struct pack *pk, const struct pack_layer *l, char **err);

/*
 * Replace the configuration: defaults, then `initial` (may be NULL), then
 * `layer` (may be NULL), resolved per policy as the SDKs do (per-policy
 * level > "all" > initialConfig > policy default > pack default). Knobs of
 * `layer` replace those of `initial` for the policies it names. Returns 0 or
 * -1 (err set) after validation; on error nothing changes.
 */
int pack_configure(struct pack *pk, const struct pack_layer *layer, char **err);

/* Set the initialConfig layer (from --policy-config / runtime option); applied under Configure layers. */
int pack_set_initial(struct pack *pk, const struct pack_layer *initial, char **err);
const struct pack_layer *pack_initial(const struct pack *pk);

/* The level `pp` has before any Configure: its default, then the initialConfig layer. */
enum pol_level pack_initial_level(const struct pack *pk, const struct pack_policy *pp);

/* Stack context (ConfigureStack or environment). Copies everything. */
struct pack_stack_args {
	const char *stack, *project, *organization;
	int dry_run;
	size_t n_config;
	const struct pack_kv *config;
	size_t n_secret_keys;
	const char *const *secret_keys;
	size_t n_tags;
	const struct pack_kv *tags;
};
int pack_set_stack(struct pack *pk, const struct pack_stack_args *args);

/* Override the reported version / remember the pack directory (Handshake, PulumiPolicy.yaml). */
int pack_set_dir(struct pack *pk, const char *dir, const char *version_override);

/*
 * Parse the `--policy-pack-config` JSON format (crossguard-features 1a) into a
 * layer whose memory comes from `a`. Returns 0, or -1 with *err.
 */
struct arena;
int pack_layer_parse_json(struct arena *a, const char *text, size_t len, struct pack_layer *out, char **err);

/* Names of levels and severities as Pulumi spells them; -1/NULL when invalid. */
const char *pack_level_name(enum pol_level l);
int pack_level_parse(const char *s, enum pol_level *out);
const char *pack_severity_name(enum pol_severity s);

#endif
