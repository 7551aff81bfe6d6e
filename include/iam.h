/*
 * iam.h - one parser for every AWS policy document (IAM identity and trust
 * policies, S3/SNS/SQS/KMS/Secrets Manager/ECR/... resource policies).
 *
 * Input: a property value that is a JSON string or an object (Pulumi's
 * PolicyDocument input type), possibly secret, possibly unknown. Output: a
 * flat list of statements whose Action/Resource/Principal fields are
 * normalised to string lists, whatever shape the document used (string or
 * array; Statement object or array; Principal "*" or {"AWS": ...}).
 */
#ifndef PC_IAM_H
#define PC_IAM_H

#include <stddef.h>

#include "pv.h"

struct arena;

/* A list of strings borrowed from the document (or the arena). */
struct iam_strs {
	size_t n;
	const char **v;
	int unknown;            /* some element (or the whole field) was unknown */
};

struct iam_principal {
	const char *kind;       /* "AWS", "Service", "Federated", "CanonicalUser", or "*" */
	const char *value;      /* "*" for a bare wildcard principal */
};

struct iam_statement {
	size_t index;           /* position in the document, for messages */
	const char *sid;        /* "" when absent */
	int effect_allow;       /* 1 Allow, 0 Deny */
	const char *effect;     /* raw Effect, NULL when missing */
	struct iam_strs action, not_action;
	struct iam_strs resource, not_resource;
	size_t n_principals;
	struct iam_principal *principals;
	int has_principal;      /* Principal present */
	int has_not_principal;
	const pv_value *condition;   /* object or NULL */
	int has_action, has_not_action, has_resource, has_not_resource;
	/* Additions (backward compatible): */
	size_t n_not_principals;
	struct iam_principal *not_principals;
	int effect_unknown;     /* Effect was unknown (effect NULL, effect_allow 0) */
	int principal_unknown;  /* Principal (or an element of it) was unknown */
	int condition_unknown;  /* Condition (or an operator block of it) was unknown */
	const char *path;       /* "Statement" or "Statement[i]", for messages */
	const pv_value *node;   /* the statement object */
};

/* How a document failed to parse. */
enum iam_status {
	IAM_OK = 0,
	IAM_UNKNOWN = 1,        /* the document (or what we need of it) is unknown in preview */
	IAM_ABSENT = 2,         /* no document */
	IAM_INVALID = 3,        /* see iam_doc.error */
};

struct iam_doc {
	enum iam_status status;
	const char *error;      /* why it is invalid (never quotes secret content) */
	const char *version;    /* NULL when absent */
	size_t n;
	struct iam_statement *st;
	const pv_value *root;   /* the parsed document */
	int secret;             /* the document (or a string inside it) was a secret */
	/* Additions (backward compatible): */
	const char *error_path; /* where in the document ("Statement[1].Effect"; "" = the whole text) */
	int has_unknown;        /* some part was unknown in preview (partial judgement only) */
	const char *output_marker; /* stringified-Output text found anywhere in the document, or NULL */
	int is_string;          /* the value was JSON text (not an object) */
};

/*
 * Parse `v` into `doc`. Never fails hard: problems are reported through
 * doc->status / doc->error. Allocations come from `a`.
 *
 * IAM_INVALID means AWS would reject the document whatever it is used for:
 * not JSON, not an object, no Statement, a statement that is not an object,
 * Effect missing or not exactly "Allow"/"Deny", neither (or both) Action and
 * NotAction, both Resource and NotResource, both Principal and NotPrincipal,
 * values of the wrong JSON type, empty lists, unsupported Principal keys,
 * Condition not an object. doc->error is a clause such as
 * `Statement[1].Effect is "Alow"; it must be "Allow" or "Deny"` (content is
 * quoted only when the document is not secret). The statements parsed so far
 * stay available. Rules that depend on the document's kind (identity policies
 * need Resource, resource and trust policies need Principal) are left to the
 * caller.
 *
 * Parts that are unknown in preview are skipped and flagged (iam_strs.unknown,
 * iam_statement.*_unknown, doc->has_unknown); a wholly unknown document, or an
 * unknown Statement member, gives IAM_UNKNOWN.
 */
void iam_doc_parse(struct arena *a, const pv_value *v, struct iam_doc *doc);

/* True when `action` ("s3:GetObject") is matched by pattern `pat` ("s3:Get*", "*"), case-insensitively. */
int iam_action_matches(const char *pat, const char *action);

/* True when the action string is a full wildcard ("*") or a service wildcard ("s3:*"). */
int iam_action_is_wildcard(const char *action);

/* Condition lookup: the values of `op`/`key` ("Bool", "aws:SecureTransport"); NULL when absent. Case-insensitive key. */
const pv_value *iam_condition(const struct iam_statement *st, const char *op, const char *key);

/*
 * True when the statement has a condition key `key` under any operator
 * (any of StringEquals, StringLike, ForAnyValue:..., ...IfExists, ...). Case-insensitive.
 */
int iam_condition_has_key(const struct iam_statement *st, const char *key);

/* True when any principal of `st` is the full wildcard ("*" or {"AWS": "*"}). */
int iam_principal_is_wildcard(const struct iam_statement *st);

/* True when `s` appears (exact, case-insensitive) in the list. */
int iam_strs_has(const struct iam_strs *l, const char *s);

/*
 * Does the document let the service principal `service`
 * ("cloudwatch.amazonaws.com") perform every action of `actions`
 * (NULL-terminated) in one Allow statement for that service or for "*"?
 * Action patterns in the document ("kms:*") count. Returns 1 yes, 0 no (an
 * absent document grants nothing), -1 cannot tell (unknown in preview, or
 * invalid - iam-policy-document-valid reports that).
 */
int iam_doc_allows_service(const struct iam_doc *doc, const char *service, const char *const *actions);

#endif
