/*
 * regions.c - the AWS region list shipped with the pack (data only).
 *
 * Source: @aws-sdk/core 3.981.0, util-endpoints partitions.js (every
 * partition's regions), cross-checked against the pulumi-aws 7.48.0 Region
 * enum (rule-catalog 4.1). Refresh: regenerate from the SDK's partitions
 * file and bump the as-of date. Regions that match a partition pattern but
 * are missing here are reported as AWS_REGION_WELL_FORMED, not rejected, so
 * a stale list degrades gracefully.
 */
#include <stddef.h>

#include "aws.h"

/* Declared here and in src/aws.c (the only reader); keep the two in sync. */
extern const char *const aws_region_table[];
extern const size_t aws_region_table_n;

const char aws_regions_as_of[] = "2026-08-21";

/* Sorted (strcmp order) so the reader can bsearch. */
const char *const aws_region_table[] = {
	"af-south-1",
	"ap-east-1",
	"ap-east-2",
	"ap-northeast-1",
	"ap-northeast-2",
	"ap-northeast-3",
	"ap-south-1",
	"ap-south-2",
	"ap-southeast-1",
	"ap-southeast-2",
	"ap-southeast-3",
	"ap-southeast-4",
	"ap-southeast-5",
	"ap-southeast-6",
	"ap-southeast-7",
	"ca-central-1",
	"ca-west-1",
	"cn-north-1",
	"cn-northwest-1",
	"eu-central-1",
	"eu-central-2",
	"eu-isoe-west-1",
	"eu-north-1",
	"eu-south-1",
	"eu-south-2",
	"eu-west-1",
	"eu-west-2",
	"eu-west-3",
	"eusc-de-east-1",
	"il-central-1",
	"me-central-1",
	"me-south-1",
	"me-west-1",
	"mx-central-1",
	"sa-east-1",
	"sa-west-1",
	"us-east-1",
	"us-east-2",
	"us-gov-east-1",
	"us-gov-west-1",
	"us-iso-east-1",
	"us-iso-west-1",
	"us-isob-east-1",
	"us-isob-west-1",
	"us-isof-east-1",
	"us-isof-south-1",
	"us-west-1",
	"us-west-2",
};

const size_t aws_region_table_n = sizeof(aws_region_table) / sizeof(aws_region_table[0]);
