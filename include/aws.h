/*
 * aws.h - AWS facts the policies share: ARNs, regions, account IDs,
 * placeholders. Pure functions over strings; the data tables live in
 * policies/data/ with their as-of dates.
 */
#ifndef PC_AWS_H
#define PC_AWS_H

#include <stddef.h>

/* An ARN split into its six fields (borrowed slices of the input). */
struct aws_arn {
	const char *partition; size_t partition_len;
	const char *service;   size_t service_len;
	const char *region;    size_t region_len;
	const char *account;   size_t account_len;
	const char *resource;  size_t resource_len;   /* everything after the 5th ':' */
};

/* Parse "arn:partition:service:region:account:resource"; 0 on success, -1 when not an ARN. */
int aws_arn_parse(const char *s, struct aws_arn *out);

/* True when the ARN field equals `s` (NUL-terminated). */
int aws_field_eq(const char *field, size_t len, const char *s);

enum aws_region_status {
	AWS_REGION_KNOWN = 0,        /* in the shipped region list */
	AWS_REGION_WELL_FORMED = 1,  /* matches a partition pattern but is not listed */
	AWS_REGION_AZ = 2,           /* looks like an availability zone ("us-east-1a") */
	AWS_REGION_MALFORMED = 3,
};
enum aws_region_status aws_region_check(const char *region);

/* As-of date of the region table ("YYYY-MM-DD"). */
extern const char aws_regions_as_of[];

/* True for well-known documentation / placeholder account IDs (123456789012, 000000000000, ...). */
int aws_is_placeholder_account(const char *acct, size_t len);

/* True for a 12-digit account ID. */
int aws_is_account_id(const char *s, size_t len);

/*
 * If `s` contains a placeholder token (REPLACE_ME, CHANGEME, <your-...>, a
 * documentation account ID inside an ARN, an all-zero UUID, ...), return a
 * short static description of it; NULL otherwise.
 */
const char *aws_placeholder_in(const char *s);

/*
 * If `s` contains the text a Pulumi SDK substitutes for a stringified Output
 * (wire-protocol.md section 6), return the marker found; NULL otherwise.
 */
const char *aws_output_marker_in(const char *s);

#endif
