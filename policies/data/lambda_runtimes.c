/*
 * lambda_runtimes.c - Lambda managed runtimes and their end-of-support dates
 * (data only).
 *
 * Source: docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html as
 * mirrored by tflint-ruleset-aws rules/lambda_deprecated_runtime/
 * deprecated_runtimes.json (updated_at 2026-07-31), cross-checked with
 * endoflife.date (rule-catalog 4.3). Supported runtimes carry their
 * scheduled end-of-support date so "deprecation soon" can be computed.
 *
 * Refresh: update the rows, then bump lambda_runtimes_as_of. The as-of date
 * is also the default evaluation date of the lambda policies (knob
 * asOfDate), which keeps results reproducible between runs and machines.
 */
#include "lambda_runtimes.h"

const char lambda_runtimes_as_of[] = "2026-11-23";

const struct lambda_runtime lambda_runtimes[] = {
	/* Python */
	{ "python3.14", "2029-06-30", NULL, NULL },
	{ "python3.13", "2029-06-30", NULL, NULL },
	{ "python3.12", "2028-10-31", NULL, NULL },
	{ "python3.11", "2027-06-30", NULL, NULL },
	{ "python3.10", "2026-10-31", "2027-02-01", "2027-03-03" },
	{ "python3.9", "2025-12-15", "2027-02-01", "2027-03-03" },
	{ "python3.8", "2024-10-14", "2027-02-01", "2027-03-03" },
	{ "python3.7", "2023-12-04", "2024-01-09", "2027-03-03" },
	{ "python3.6", "2022-07-18", "2022-07-18", "2022-08-29" },
	{ "python2.7", "2021-07-15", "2021-07-15", "2022-05-30" },
	/* Node.js */
	{ "nodejs24.x", "2028-04-30", NULL, NULL },
	{ "nodejs22.x", "2027-04-30", NULL, NULL },
	{ "nodejs20.x", "2026-04-30", "2027-02-01", "2027-03-03" },
	{ "nodejs18.x", "2025-09-01", "2027-02-01", "2027-03-03" },
	{ "nodejs16.x", "2024-06-12", "2027-02-01", "2027-03-03" },
	{ "nodejs14.x", "2023-12-04", NULL, NULL },
	{ "nodejs12.x", "2023-03-31", NULL, NULL },
	{ "nodejs10.x", "2021-07-30", NULL, NULL },
	{ "nodejs8.10", "2020-03-06", NULL, NULL },
	{ "nodejs6.10", "2019-08-12", NULL, NULL },
	{ "nodejs4.3", "2020-03-05", NULL, NULL },
	{ "nodejs4.3-edge", "2020-03-05", NULL, NULL },
	{ "nodejs", "2016-08-30", NULL, NULL },
	/* Java */
	{ "java25", "2029-06-30", NULL, NULL },
	{ "java21", "2029-06-30", NULL, NULL },
	{ "java17", "2027-06-30", NULL, NULL },
	{ "java11", "2027-06-30", NULL, NULL },
	{ "java8.al2", "2027-06-30", NULL, NULL },
	{ "java8", "2024-01-08", "2024-02-08", "2027-03-03" },
	/* .NET */
	{ "dotnet10", "2028-11-14", NULL, NULL },
	{ "dotnet9", "2026-11-10", NULL, NULL },
	{ "dotnet8", "2026-11-10", "2027-02-01", "2027-03-03" },
	{ "dotnet7", "2024-05-14", NULL, NULL },
	{ "dotnet6", "2024-12-20", "2027-02-01", "2027-03-03" },
	{ "dotnet5.0", "2022-05-10", NULL, NULL },
	{ "dotnetcore3.1", "2023-04-03", NULL, NULL },
	{ "dotnetcore2.1", "2022-01-05", NULL, NULL },
	{ "dotnetcore2.0", "2019-05-30", NULL, NULL },
	{ "dotnetcore1.0", "2019-06-27", NULL, NULL },
	/* Ruby */
	{ "ruby4.0", "2029-03-31", NULL, NULL },
	{ "ruby3.4", "2028-03-31", NULL, NULL },
	{ "ruby3.3", "2027-03-31", NULL, NULL },
	{ "ruby3.2", "2026-03-31", "2027-02-01", "2027-03-03" },
	{ "ruby2.7", "2023-12-07", "2024-01-09", "2027-03-03" },
	{ "ruby2.5", "2021-07-30", "2021-07-30", "2022-03-31" },
	/* OS-only and Go */
	{ "provided.al2023", "2029-06-30", NULL, NULL },
	{ "provided.al2", "2026-07-31", "2027-02-01", "2027-03-03" },
	{ "provided", "2024-01-08", "2024-02-08", "2027-03-03" },
	{ "go1.x", "2024-01-08", "2024-02-08", "2027-03-03" },
};

const size_t lambda_runtimes_n = sizeof(lambda_runtimes) / sizeof(lambda_runtimes[0]);
