/*
 * policy.h - what a policy is, and everything a policy function may use.
 *
 * A policy is one entry of a declarative table (see policies/registry.c) plus
 * one pure function. Resource policies see one resource at a time (Analyze);
 * stack policies see the whole stack (AnalyzeStack) through a stack index.
 * Policy functions never do I/O and never keep state: they read the resource
 * view and their configuration through this API and report violations with
 * pol_report(). The runner (src/runner.c) does everything cross-cutting:
 * dispatch by type, enforcement levels, exemptions, unknown handling,
 * not-applicable reasons, secret redaction and the wire format.
 */
#ifndef PC_POLICY_H
#define PC_POLICY_H

#include <stddef.h>

#include "pv.h"

struct arena;
struct pol_ctx;
struct stk_index;

/* Enforcement levels, numbered as on the wire (pulumirpc.EnforcementLevel). */
enum pol_level {
	POL_ADVISORY = 0,
	POL_MANDATORY = 1,
	POL_DISABLED = 2,
	POL_REMEDIATE = 3,
	POL_LEVEL_INHERIT = -1, /* table only: use the pack default */
};

/* Severities, numbered as on the wire (pulumirpc.PolicySeverity). */
enum pol_severity {
	POL_SEV_UNSPECIFIED = 0,
	POL_SEV_LOW = 1,
	POL_SEV_MEDIUM = 2,
	POL_SEV_HIGH = 3,
	POL_SEV_CRITICAL = 4,
};

/*
 * One resource as policies see it. Analyze fills the first part (inputs);
 * AnalyzeStack also fills the graph part (outputs, parent, dependencies).
 * Strings are never NULL ("" when absent); `props` is never NULL (an empty
 * object when the request had none). Everything is borrowed from the request.
 */
struct pol_propdep {
	const char *prop;          /* top-level property name */
	size_t n_urns;
	char *const *urns;
};

struct pol_resource {
	const char *type;          /* "aws:lambda/function:Function" */
	const char *urn;
	const char *name;
	const pv_value *props;
	const char *provider_type; /* "pulumi:providers:aws" or "" */
	const char *provider_urn;
	const char *provider_name;
	const pv_value *provider_props; /* provider inputs; never NULL */
	const char *parent;        /* options.parent (Analyze) or parent (AnalyzeStack) */
	int protect;
	size_t n_ignore_changes;   /* options.ignoreChanges: paths the program deliberately leaves */
	char *const *ignore_changes;
	/*
	 * Set when the analyzer has walked `props` / `provider_props` and found
	 * no secret in them, so secret redaction need not walk them again.
	 * Zero (unknown) makes the runner walk: resources built elsewhere
	 * never lose redaction by omission.
	 */
	unsigned plain_props : 1;
	unsigned plain_provider : 1;
	/* AnalyzeStack only (zero in Analyze): */
	size_t n_deps;
	char *const *deps;
	size_t n_propdeps;
	const struct pol_propdep *propdeps;
	size_t index;              /* position in the stack index */
};

/*
 * Policy functions. Several may run at once on different threads (calls
 * are served concurrently, and a big stack's policies are shared out over
 * the cores), each on one thread with a pol_ctx of its own: they keep no
 * state outside it and call nothing that is not reentrant.
 */
typedef void (*pol_check_fn)(struct pol_ctx *c, const struct pol_resource *r);
typedef void (*pol_stack_fn)(struct pol_ctx *c, const struct stk_index *s);
/*
 * A remediation returns the complete new property map (use pv_obj_with on
 * r->props so untouched members, "__" keys and secrets are carried over) or
 * NULL when nothing needs to change.
 */
typedef const pv_value *(*pol_remediate_fn)(struct pol_ctx *c, const struct pol_resource *r);

/* Prose used by the generated docs (docs/policies.md). All optional. */
struct pol_doc {
	const char *why;        /* the failure this prevents, with the seed it came from */
	const char *fail_ts;    /* TypeScript snippet that violates */
	const char *fixed_ts;   /* ... and its fix */
	const char *fail_py;    /* Python snippet that violates */
	const char *fixed_py;   /* ... and its fix */
};

/* Compliance framework reference (PolicyComplianceFramework). */
struct pol_framework {
	const char *name;
	const char *version;
	const char *reference;
	const char *specification;
};

/*
 * A policy table entry. Exactly one of `check` / `check_stack` is set.
 *
 * `types` is a NULL-terminated list of type tokens; an entry ending in '*' is
 * a prefix ("aws:*" = every AWS resource). NULL means every type. Stack
 * policies use `types` only for documentation.
 *
 * `config_schema` is the JSON text of the JSON-schema `properties` object for
 * the policy's knobs, with a "default" for each (NULL when there are none).
 * Every policy additionally gets the common knobs "onUnknown" and "exclude"
 * (added by the registry; do not declare them).
 */
struct policy {
	const char *name;              /* stable, kebab-case, unique */
	const char *display_name;
	const char *description;       /* one sentence: what the policy requires */
	enum pol_level level;          /* default enforcement level */
	enum pol_severity severity;
	const char *const *types;
	const char *config_schema;
	const char *remediation_steps;
	const char *tags;              /* comma-separated, e.g. "lambda,observability" */
	const struct pol_framework *framework;
	const char *url;
	pol_check_fn check;
	pol_stack_fn check_stack;
	pol_remediate_fn remediate;
	const struct pol_doc *doc;
};

/* File-scope compound literal with static storage: POL_TYPES("aws:s3/bucket:Bucket", ...) */
#define POL_TYPES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/*
 * A family of policies, one per source file under policies/. Each file
 * defines `const struct pol_family pol_family_<name>` (see families.h).
 */
struct pol_family {
	const char *name;
	const struct policy *policies;
	size_t n;
};

/* ---- reporting (valid only inside a policy function) ---------------------- */

/*
 * Report a violation on the current resource (resource policies) or on `urn`
 * (stack policies; NULL = the stack's root resource). `path` names the
 * property at fault ("tracingConfig.mode"; NULL or "" when not about one
 * property). The message should say what is wrong and how to fix it; never
 * put secret values in it (pv values marked secret are redacted anyway).
 */
void pol_report(struct pol_ctx *c, const char *urn, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Record that the value at `path` was unknown (preview) and the policy could
 * not judge it. The runner turns this into a not-applicable entry (or an
 * advisory note, per the policy's onUnknown knob) when nothing was reported.
 */
void pol_unknown(struct pol_ctx *c, const char *path);

/* Declare the policy not applicable to this resource, with a reason. */
void pol_not_applicable(struct pol_ctx *c, const char *reason);

/*
 * Scratch memory for the policy: valid until it returns (a stack policy's
 * is released then; keep nothing from it in anything that outlives the
 * call). Messages, URNs and reasons handed to pol_report and
 * pol_not_applicable may live in it: they are copied.
 */
struct arena *pol_arena(struct pol_ctx *c);

/*
 * The AWS policy document in `v` (JSON text or object), parsed with
 * iam_doc_parse once per request however many policies ask for it. Never
 * NULL except when memory is exhausted; valid until the response is sent
 * (when `v` itself lives in pol_arena: parsed there, and valid as long).
 */
struct iam_doc;
const struct iam_doc *pol_iam_doc(struct pol_ctx *c, const pv_value *v);

/* The policy being run. */
const struct policy *pol_policy(const struct pol_ctx *c);

/* ---- configuration --------------------------------------------------------- */

/* The configured value of knob `key` (Configure > initialConfig > schema default), or NULL. */
const pv_value *pol_cfg(const struct pol_ctx *c, const char *key);
int pol_cfg_bool(const struct pol_ctx *c, const char *key);               /* 0 when unset */
double pol_cfg_num(const struct pol_ctx *c, const char *key, double dflt);
const char *pol_cfg_str(const struct pol_ctx *c, const char *key);        /* NULL when unset */
/* True when the knob is a list of strings that contains `s` (exact match). */
int pol_cfg_list_has(const struct pol_ctx *c, const char *key, const char *s);
/* True when the knob is a list of glob patterns ('*' and '?') one of which matches `s`. */
int pol_cfg_list_glob(const struct pol_ctx *c, const char *key, const char *s);

/* ---- stack context (ConfigureStack, or PULUMI_* env in pack-directory mode) - */

struct pol_stack_info {
	const char *stack;         /* "" when unknown */
	const char *project;
	const char *organization;
	int dry_run;               /* 1 = preview */
	int configured;            /* 1 once ConfigureStack (or env) supplied it */
};
const struct pol_stack_info *pol_stack(const struct pol_ctx *c);
/* Stack config value ("aws:region") or NULL. Values of secret keys are never returned. */
const char *pol_stack_config(const struct pol_ctx *c, const char *key);
/* Stack tag or NULL. */
const char *pol_stack_tag(const struct pol_ctx *c, const char *key);

/* ---- helpers shared by many policies --------------------------------------- */

/* True when `r` is bound to a default provider (engine rule: name starts with "default"). */
int pol_is_default_provider(const char *provider_type, const char *provider_urn, const char *provider_name);

/*
 * Effective region of a resource: its own `region` input (pulumi-aws v7), else
 * its provider's `region`, else (default provider) stack config "aws:region".
 * Returns PV_OK with *out set, PV_EUNKNOWN, or PV_EMISSING.
 */
int pol_region(const struct pol_ctx *c, const struct pol_resource *r, const char **out);

/*
 * True when property `path` ("value", "tags.Name", "rules[0]") is at or below
 * an options.ignoreChanges entry of `r` ("*" covers everything): the program
 * deliberately lets the value drift from what it declares (e.g. a secret
 * created with a placeholder and set out of band).
 */
int pol_ignores_changes(const struct pol_resource *r, const char *path);

/* The name part of a URN (after the last "::"), borrowed. */
const char *pol_urn_name(const char *urn);
/* The type part of a URN (last segment of the qualified type), copied into the arena. */
const char *pol_urn_type(struct pol_ctx *c, const char *urn);

/* Glob match with '*' (any run) and '?' (one char); linear time, no backtracking blow-up. */
int pol_glob(const char *pattern, const char *s);

#endif
