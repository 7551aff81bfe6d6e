/*
 * families.h - every policy family (one source file each under policies/).
 * X-macro: registry.c expands it into the family list; the order here is
 * the order of the policy table (GetAnalyzerInfo, docs, README).
 */
#ifndef PC_FAMILIES_H
#define PC_FAMILIES_H

#define POL_FAMILIES(X) \
	X(providers)    /* provider and region scoping, credentials, tags */ \
	X(hygiene)      /* stringified Outputs, placeholders, ARN/region mismatches */ \
	X(lambda)       /* runtimes, X-Ray, env vars, invoke permissions */ \
	X(iam)          /* policy documents, wildcards, trust, cross-account */ \
	X(dynamodb)     /* encryption, PITR, global tables */ \
	X(eventbridge)  /* event patterns, targets, S3 wiring */ \
	X(cloudwatch)   /* alarms */ \
	X(sns)          /* topics */ \
	X(s3)           /* names, TLS-only policies, public access, encryption */ \
	X(ec2)          /* AZs, VPC/subnet CIDRs, security groups */ \
	X(elb)          /* load balancers and listeners */ \
	X(cloudfront)   /* certificates, TLS, origin failover, logging */ \
	X(route53)      /* failover routing and health checks */ \
	X(awsconfig)    /* AWS Config recorders, channels, aggregators */ \
	X(stack)        /* stack outputs, per-region sizing */

#define POL_FAMILY_DECLARE(name) extern const struct pol_family pol_family_##name;

#endif
