/*
 * aws.c - AWS facts shared by the policies (see aws.h): ARN parsing, region
 * classification, placeholder account IDs and tokens, stringified-Output
 * markers. Pure functions over strings: no allocation, no state. The region
 * list itself is data (policies/data/regions.c).
 */
#include "aws.h"

#include <stdlib.h>
#include <string.h>

/* Defined in policies/data/regions.c, sorted in strcmp order. */
extern const char *const aws_region_table[];
extern const size_t aws_region_table_n;

/* ---- character classes (locale-independent on purpose) ------------------- */

static int aws_is_digit(char c) { return c >= '0' && c <= '9'; }
static int aws_is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int aws_is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int aws_is_alpha(char c) { return aws_is_lower(c) || aws_is_upper(c); }
static int aws_is_alnum(char c) { return aws_is_alpha(c) || aws_is_digit(c); }
static char aws_lower(char c) { return aws_is_upper(c) ? (char)(c - 'A' + 'a') : c; }

/* Case-insensitive prefix test: does `s` start with `lit`? */
static int aws_starts_ci(const char *s, const char *lit)
{
	for (; *lit; s++, lit++)
		if (aws_lower(*s) != aws_lower(*lit))
			return 0;
	return 1;
}

/* ---- ARNs ----------------------------------------------------------------- */

int aws_field_eq(const char *field, size_t len, const char *s)
{
	if (!field || !s)
		return 0;
	return strlen(s) == len && memcmp(field, s, len) == 0;
}

/*
 * Only the shape is checked: "arn:", a partition starting with "aws", a
 * service of [a-z0-9-], then region and account fields (left unchecked:
 * policies judge them, and "*" is legitimate inside policy documents) and a
 * non-empty resource that may itself contain ':' or '/'.
 */
int aws_arn_parse(const char *s, struct aws_arn *out)
{
	const char *field[4];
	size_t len[4];
	const char *p;

	if (!s || strncmp(s, "arn:", 4) != 0)
		return -1;
	p = s + 4;
	for (int i = 0; i < 4; i++) {
		const char *colon = strchr(p, ':');
		if (!colon)
			return -1;
		field[i] = p;
		len[i] = (size_t)(colon - p);
		p = colon + 1;
	}
	if (len[0] < 3 || strncmp(field[0], "aws", 3) != 0)
		return -1;
	for (size_t i = 0; i < len[0]; i++)
		if (!aws_is_lower(field[0][i]) && field[0][i] != '-')
			return -1;
	if (len[1] == 0)
		return -1;
	for (size_t i = 0; i < len[1]; i++) {
		char c = field[1][i];
		if (!aws_is_lower(c) && !aws_is_digit(c) && c != '-' && c != '*')
			return -1;
	}
	if (*p == '\0')
		return -1;
	if (out) {
		out->partition = field[0];
		out->partition_len = len[0];
		out->service = field[1];
		out->service_len = len[1];
		out->region = field[2];
		out->region_len = len[2];
		out->account = field[3];
		out->account_len = len[3];
		out->resource = p;
		out->resource_len = strlen(p);
	}
	return 0;
}

/* ---- regions -------------------------------------------------------------- */

/*
 * Partition prefixes from the SDK's partition regexes (rule-catalog 4.1),
 * longest first so "us-gov-west-1" is not read as "us-" + "gov" + garbage.
 * After the prefix a region is [a-z]+ "-" [0-9]+.
 */
static const char *const aws_region_prefixes[] = {
	"us-isob-", "us-isof-", "eu-isoe-", "eusc-de-", "us-gov-", "us-iso-",
	"us-", "eu-", "ap-", "sa-", "ca-", "me-", "af-", "il-", "mx-", "cn-",
};

/*
 * Length of the well-formed region at the start of `s` (the digit run taken
 * whole), or 0 when `s` does not start with one.
 */
static size_t aws_region_prefix_len(const char *s)
{
	for (size_t k = 0; k < sizeof(aws_region_prefixes) / sizeof(aws_region_prefixes[0]); k++) {
		size_t pl = strlen(aws_region_prefixes[k]);
		const char *p = s + pl;
		if (strncmp(s, aws_region_prefixes[k], pl) != 0)
			continue;
		if (!aws_is_lower(*p))
			continue;
		while (aws_is_lower(*p))
			p++;
		if (*p != '-' || !aws_is_digit(p[1]))
			continue;
		p++;
		while (aws_is_digit(*p))
			p++;
		return (size_t)(p - s);
	}
	return 0;
}

static int aws_cmp_str(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

static int aws_region_listed(const char *region)
{
	return bsearch(region, aws_region_table, aws_region_table_n, sizeof(aws_region_table[0]),
		       aws_cmp_str) != NULL;
}

/* Match `p` against "[a-z]{n}" exactly n lowercase letters; returns end or NULL. */
static const char *aws_lowers(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++, p++)
		if (!aws_is_lower(*p))
			return NULL;
	return p;
}

static const char *aws_digits(const char *p)
{
	if (!aws_is_digit(*p))
		return NULL;
	while (aws_is_digit(*p))
		p++;
	return p;
}

/*
 * What may follow a region to make an availability-zone name: one letter
 * ("us-east-1a"), a dash and a letter (a common typo of the same), a Local
 * Zone ("-lax-1a") or a Wavelength Zone ("-wl1-bos-wlz-1").
 */
static int aws_is_az_suffix(const char *p)
{
	const char *q;

	if (aws_is_lower(p[0]) && p[1] == '\0')
		return 1;
	if (p[0] != '-')
		return 0;
	p++;
	if (aws_is_lower(p[0]) && p[1] == '\0')
		return 1;
	if (strncmp(p, "wl1-", 4) == 0) {
		q = aws_lowers(p + 4, 3);
		if (q && strncmp(q, "-wlz-", 5) == 0 && (q = aws_digits(q + 5)) && *q == '\0')
			return 1;
		return 0;
	}
	q = aws_lowers(p, 3);
	if (!q || *q != '-' || !(q = aws_digits(q + 1)))
		return 0;
	return aws_is_lower(q[0]) && q[1] == '\0';
}

/* AZ IDs: "use1-az1", Local Zone IDs "use1-qro1-az1". */
static int aws_is_az_id(const char *p)
{
	size_t n = 0;

	while (aws_is_lower(p[n]))
		n++;
	if (n < 3 || n > 5 || !(p = aws_digits(p + n)))
		return 0;
	if (p[0] == '-' && aws_is_lower(p[1]) && aws_is_lower(p[2]) && aws_is_lower(p[3]) &&
	    aws_is_digit(p[4])) {
		p = aws_digits(p + 4);
	}
	if (strncmp(p, "-az", 3) != 0 || !(p = aws_digits(p + 3)))
		return 0;
	return *p == '\0';
}

enum aws_region_status aws_region_check(const char *region)
{
	size_t n;

	if (!region || !*region)
		return AWS_REGION_MALFORMED;
	n = aws_region_prefix_len(region);
	if (n > 0 && region[n] == '\0')
		return aws_region_listed(region) ? AWS_REGION_KNOWN : AWS_REGION_WELL_FORMED;
	if (n > 0 && aws_is_az_suffix(region + n))
		return AWS_REGION_AZ;
	if (aws_is_az_id(region))
		return AWS_REGION_AZ;
	return AWS_REGION_MALFORMED;
}

/* ---- account IDs ---------------------------------------------------------- */

int aws_is_account_id(const char *s, size_t len)
{
	if (!s || len != 12)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!aws_is_digit(s[i]))
			return 0;
	return 1;
}

/*
 * The account IDs AWS documentation uses (123456789012, 111122223333,
 * 444455556666, 777788889999) and the ones people type when they have none
 * (all one digit, 012345678901). No real account is all one digit.
 */
static const char *const aws_doc_accounts[] = {
	"123456789012", "111122223333", "444455556666", "777788889999", "012345678901",
};

int aws_is_placeholder_account(const char *acct, size_t len)
{
	int same = 1;

	if (!aws_is_account_id(acct, len))
		return 0;
	for (size_t i = 0; i < sizeof(aws_doc_accounts) / sizeof(aws_doc_accounts[0]); i++)
		if (memcmp(acct, aws_doc_accounts[i], 12) == 0)
			return 1;
	for (size_t i = 1; i < len; i++)
		if (acct[i] != acct[0])
			same = 0;
	return same;
}

/* ---- placeholder tokens --------------------------------------------------- */

/* Tokens nobody deploys on purpose; matched case-insensitively between non-alphanumerics. */
static const char *const aws_placeholder_tokens[] = {
	"REPLACE_ME", "REPLACE-ME", "REPLACEME", "CHANGE_ME", "CHANGE-ME", "CHANGEME",
	"CHANGE_THIS", "INSERT_HERE", "FILL_ME_IN", "FILL_IN",
};

/* Whole-value placeholders (a TODO inside prose is not one). */
static const char *const aws_placeholder_whole[] = { "TODO", "FIXME", "XXX" };

/* Words that make "your-<word>" or "<word-...>" a placeholder rather than a name. */
static const char *const aws_placeholder_words[] = {
	"account", "acct", "arn", "bucket", "region", "domain", "key", "role", "table",
	"name", "id", "email", "secret", "password", "token", "vpc", "subnet", "org",
	"company", "project", "app", "function", "topic", "queue", "zone", "cert",
	"hosted", "api", "user", "profile", "value", "env", "stage", "external",
};

/* True when `p` (inside `s`) starts a word: first character, or after a non-alphanumeric. */
static int aws_word_start(const char *s, const char *p)
{
	return p == s || !aws_is_alnum(p[-1]);
}

/* Does a placeholder word start at `p` (case-insensitive, followed by a non-letter)? */
static int aws_placeholder_word_at(const char *p)
{
	for (size_t i = 0; i < sizeof(aws_placeholder_words) / sizeof(aws_placeholder_words[0]); i++) {
		size_t n = strlen(aws_placeholder_words[i]);
		if (aws_starts_ci(p, aws_placeholder_words[i]) && !aws_is_alpha(p[n]))
			return 1;
	}
	return 0;
}

/* Does `s` equal `lit` (case-insensitive) once surrounding blanks are dropped? */
static int aws_whole_eq_ci(const char *s, const char *lit)
{
	size_t n = strlen(lit);

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!aws_starts_ci(s, lit))
		return 0;
	s += n;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	return *s == '\0';
}

/*
 * "<your-account-id>", "<ACCOUNT_ID>", "<bucket-name>": an angle placeholder,
 * not markup. `p` points at '<'. Markup is excluded by the caller (texts
 * holding "</" or "/>") and by the content rules: uppercase-only identifiers,
 * or lowercase ones with a separator and a placeholder word, or "your ...".
 */
static int aws_angle_placeholder_at(const char *p)
{
	const char *q = p + 1;
	int upper = 0, lower = 0, sep = 0, space = 0, word = 0;
	size_t n = 0;

	if (aws_starts_ci(q, "your") && (q[4] == '-' || q[4] == '_' || q[4] == ' ')) {
		const char *e = strchr(q, '>');
		return e && e - q <= 64;
	}
	for (; *q && *q != '>'; q++, n++) {
		char c = *q;
		if (n >= 64)
			return 0;
		if (aws_is_upper(c))
			upper++;
		else if (aws_is_lower(c))
			lower++;
		else if (c == '-' || c == '_')
			sep++;
		else if (c == ' ')
			space++;
		else if (!aws_is_digit(c))
			return 0;
		if (aws_is_alpha(c) && (q == p + 1 || !aws_is_alpha(q[-1])) && aws_placeholder_word_at(q))
			word++;
	}
	if (*q != '>' || space)
		return 0;
	if (upper >= 2 && lower == 0)
		return 1;
	return sep > 0 && word > 0 && lower > 0;
}

/* Run of 'x'/'X' starting at p: its length. */
static size_t aws_x_run(const char *p)
{
	size_t n = 0;
	while (p[n] == 'x' || p[n] == 'X')
		n++;
	return n;
}

const char *aws_placeholder_in(const char *s)
{
	int markup, has_arn, code;

	if (!s || !*s)
		return NULL;
	/*
	 * Multi-line text that is not JSON is code or a script (CloudFront
	 * Functions, user data), where runs of x are format templates such as the
	 * classic 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx' UUID generator. Pretty-
	 * printed JSON (policy documents from getPolicyDocument) is still judged.
	 */
	code = strchr(s, '\n') != NULL;
	if (code) {
		const char *f = s + strspn(s, " \t\r\n");
		code = *f != '{' && *f != '[';
	}
	for (size_t i = 0; i < sizeof(aws_placeholder_whole) / sizeof(aws_placeholder_whole[0]); i++)
		if (aws_whole_eq_ci(s, aws_placeholder_whole[i]))
			return "a to-do marker instead of a value";
	markup = strstr(s, "</") != NULL || strstr(s, "/>") != NULL;
	has_arn = strstr(s, "arn:") != NULL;
	/* The access key pair of the IAM documentation. */
	if (strstr(s, "AKIAIOSFODNN7EXAMPLE") || strstr(s, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
		return "the AWS documentation example access key";
	if (strstr(s, "12345678-1234-1234-1234-123456789012"))
		return "the documentation UUID 12345678-1234-1234-1234-123456789012";
	if (has_arn && strstr(s, "00000000-0000-0000-0000-000000000000"))
		return "an all-zero UUID inside an ARN";

	for (const char *p = s; *p; p++) {
		/* Account IDs: 12-digit runs in an ARN account field, quoted, or the whole value. */
		if (aws_is_digit(*p) && (p == s || !aws_is_digit(p[-1]))) {
			size_t n = 0;
			while (aws_is_digit(p[n]))
				n++;
			if (n == 12 && aws_is_placeholder_account(p, n)) {
				char before = p == s ? '\0' : p[-1];
				char after = p[n];
				if ((before == ':' && (after == ':' || after == '\0' || after == '"')) ||
				    (before == '"' && after == '"') || (before == '\0' && after == '\0'))
					return "a documentation/placeholder AWS account ID";
			}
			p += n - 1;
			continue;
		}
		if (!aws_word_start(s, p))
			continue;
		for (size_t i = 0; i < sizeof(aws_placeholder_tokens) / sizeof(aws_placeholder_tokens[0]); i++) {
			/* First letter first: this runs at every word of every string (policy documents too). */
			if ((aws_placeholder_tokens[i][0] | 0x20) != (*p | 0x20))
				continue;
			size_t n = strlen(aws_placeholder_tokens[i]);
			if (aws_starts_ci(p, aws_placeholder_tokens[i]) && !aws_is_alnum(p[n]))
				return "a REPLACE_ME/CHANGEME-style token";
		}
		if ((*p | 0x20) == 'y' && aws_starts_ci(p, "your") && (p[4] == '-' || p[4] == '_') &&
		    aws_placeholder_word_at(p + 5))
			return "a \"your-...\" placeholder";
		if (*p == '<' && !markup && aws_angle_placeholder_at(p))
			return "an <angle-bracket> placeholder";
		if (*p == 'x' || *p == 'X') {
			size_t n = aws_x_run(p);
			if (n >= 4 && !aws_is_alnum(p[n]) && !code)
				return "an xxxx placeholder";
			p += n - 1;
		}
	}
	/* Long x runs glued to a prefix ("AKIAXXXXXXXXXXXXXXXX"). */
	for (const char *p = s; *p && !code; p++) {
		size_t n = aws_x_run(p);
		if (n >= 10)
			return "an xxxx placeholder";
		if (n)
			p += n - 1;
	}
	return NULL;
}

/* ---- stringified Outputs (wire-protocol.md section 6) --------------------- */

struct aws_marker {
	const char *needle;   /* what we search for: a stable prefix */
	const char *marker;   /* what we report */
};

static const struct aws_marker aws_markers[] = {
	{ "Calling [toString] on an [Output", "Calling [toString] on an [Output<T>]" },
	{ "Calling [toJSON] on an [Output", "Calling [toJSON] on an [Output<T>]" },
	{ "Calling [ToString] on an [Output", "Calling [ToString] on an [Output<T>]" },
	{ "Calling __str__ on an Output", "Calling __str__ on an Output[T]" },
	/* Python repr; the '<' may have been JSON-escaped as \u003c, so it is not part of the needle. */
	{ "pulumi.output.Output object at 0x", "<pulumi.output.Output object at 0x...>" },
	{ "[object Object]", "[object Object]" },
};

/* Go's fmt "%v" of an Output prints its pointer struct: "{0xc000137180}". */
static int aws_go_output_at(const char *p)
{
	size_t n = 0;

	if (strncmp(p, "{0xc", 4) != 0)
		return 0;
	p += 4;
	while ((aws_is_digit(p[n]) || (p[n] >= 'a' && p[n] <= 'f')) && n < 32)
		n++;
	return n >= 6 && p[n] == '}';
}

const char *aws_output_marker_in(const char *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < sizeof(aws_markers) / sizeof(aws_markers[0]); i++)
		if (strstr(s, aws_markers[i].needle))
			return aws_markers[i].marker;
	for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{'))
		if (aws_go_output_at(p))
			return "{0xc...} (Go %v of an Output)";
	return NULL;
}
