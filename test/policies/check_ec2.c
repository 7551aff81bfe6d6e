/*
 * check_ec2.c - edge cases of the ec2 family: AZ names and IDs per region
 * (slicing mistakes, other regions, Local Zones, knobs, v7 `region`, default
 * providers, unknowns), VPC/subnet CIDR plans (links by dependency and by
 * ID, secondary blocks, IPAM, IPv6, external VPCs), multi-AZ spread, and
 * security-group rules in all four shapes with their knobs.
 *
 * Fixture JSON is written with single quotes and turned into JSON by fx().
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pctest.h"

#define U "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#define SECRET(v) "{'4dabf18193072939515e22adb298388d':'1b47061264138c4ac30d75fd1eb44270','value':" v "}"
#define PURN(p) "urn:pulumi:dev::net::pulumi:providers:aws::" p
#define PROVIDERS \
	"{'type':'pulumi:providers:aws','urn':'" PURN("use1") "','name':'use1','properties':{'region':'us-east-1','defaultTags':'{\\'tags\\':{\\'team\\':\\'net\\'}}'}}," \
	"{'type':'pulumi:providers:aws','urn':'" PURN("apne1") "','name':'apne1','properties':{'region':'ap-northeast-1','defaultTags':'{\\'tags\\':{\\'team\\':\\'net\\'}}'}}," \
	"{'type':'pulumi:providers:aws','urn':'" PURN("unk") "','name':'unk','properties':{'region':'" U "'}}"
#define URN(type, name) "urn:pulumi:dev::net::" type "::" name
#define RESP(type, name, prov, props, extra) \
	"{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','provider':'" PURN(prov) "','properties':" props extra "}"
#define RES(type, name, props, extra) RESP(type, name, "use1", props, extra)
/* A resource on the default provider. */
#define RESD(type, name, props) "{'type':'" type "','urn':'" URN(type, name) "','name':'" name "','properties':" props "}"
#define DEPS(prop, type, name) ",'propertyDependencies':{'" prop "':['" URN(type, name) "']}"

#define SUBNET "aws:ec2/subnet:Subnet"
#define VPC "aws:ec2/vpc:Vpc"
#define ASSOC "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"
#define SG "aws:ec2/securityGroup:SecurityGroup"
#define DSG "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
#define SGR "aws:ec2/securityGroupRule:SecurityGroupRule"
#define SGI "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
#define SGE "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"

#define P_AZ "availability-zone-valid"
#define P_CIDR "vpc-subnet-cidrs-valid"
#define P_MULTI "vpc-subnets-multi-az"
#define P_IN "security-group-no-public-ingress"
#define P_OUT "security-group-no-public-egress"

static char *fx_buf;

/* `region` is the stack's aws:region config (NULL: none). */
static const char *fx(const char *config, const char *region, const char *resources)
{
	size_t n = strlen(resources) + (config ? strlen(config) : 0) + 4096;
	free(fx_buf);
	fx_buf = malloc(n);
	ck_assert_ptr_nonnull(fx_buf);
	snprintf(fx_buf, n, "{'title':'t','stack':{'stack':'dev','project':'net','dryRun':true,'config':{%s%s%s}},"
		 "%s%s%s'resources':[" PROVIDERS ",%s]}", region ? "'aws:region':'" : "", region ? region : "",
		 region ? "'" : "", config ? "'config':" : "", config ? config : "", config ? "," : "", resources);
	for (char *p = fx_buf; *p; p++)
		if (*p == '\'')
			*p = '"';
	return fx_buf;
}

static struct pct_run run;

static size_t count_r(const char *config, const char *region, const char *resources, const char *policy,
		      const char *name, int level)
{
	char urn[256];
	int rc;

	pct_run_free(&run);
	rc = pct_run_json(&run, fx(config, region, resources));
	ck_assert_msg(rc == 0, "fixture failed to load: %s", run.err ? run.err : "?");
	if (name)
		snprintf(urn, sizeof(urn), "::%s", name);
	return pct_count(&run, policy, name ? urn : NULL, level);
}

#define EXPECT_R(n, config, region, res, policy, name) \
	do { \
		size_t got_ = count_r(config, region, res, policy, name, -1); \
		ck_assert_msg(got_ == (size_t)(n), "%s on %s: expected %d, got %zu:%s", policy, \
			      name ? name : "*", (int)(n), got_, pct_describe(&run)); \
	} while (0)
#define EXPECT(n, config, res, policy, name) EXPECT_R(n, config, "us-east-1", res, policy, name)

static int any_message_contains(const char *needle)
{
	for (size_t i = 0; i < run.n; i++)
		if (run.d[i].message && strstr(run.d[i].message, needle))
			return 1;
	return 0;
}

/* ---- availability-zone-valid ------------------------------------------------- */

static const struct { const char *prov, *az; int bad; } azs[] = {
	{ "use1", "us-east-1a", 0 }, { "use1", "us-east-1f", 0 }, { "apne1", "ap-northeast-1c", 0 },
	{ "use1", "us-east-a", 1 },      /* region[:8] + letter */
	{ "use1", "us-east-1-a", 1 },    /* extra hyphen */
	{ "use1", "useast1a", 1 },
	{ "use1", "us-east-1", 1 },      /* a region */
	{ "use1", "us-east-1g", 1 },     /* letter outside a-f */
	{ "use1", "us-west-2a", 1 },     /* another region */
	{ "use1", "use1-az1", 1 },       /* an AZ ID in the name field */
	{ "apne1", "ap-northe", 1 },     /* region[:9] */
	{ "apne1", "ap-northea", 1 },
	{ "apne1", "us-east-1a", 1 },
	{ "use1", "us-east-1-bos-1a", 1 }, /* Local Zone without allowLocalZones */
	{ "use1", "", 0 },               /* empty: AWS picks */
};

START_TEST(az_names)
{
	char res[512];

	snprintf(res, sizeof(res), RESP(SUBNET, "s", "%s", "{'vpcId':'vpc-1','cidrBlock':'10.0.0.0/24','availabilityZone':'%s'}", ""),
		 azs[_i].prov, azs[_i].az);
	EXPECT(azs[_i].bad, NULL, res, P_AZ, "s");
}
END_TEST

START_TEST(az_knobs_and_regions)
{
	/* Local and Wavelength Zones with the knob. */
	EXPECT(0, "{'" P_AZ "':{'allowLocalZones':true}}", RES(SUBNET, "s", "{'availabilityZone':'us-east-1-bos-1a'}", ""), P_AZ, "s");
	EXPECT(0, "{'" P_AZ "':{'allowLocalZones':true}}", RES(SUBNET, "s", "{'availabilityZone':'us-east-1-wl1-bos-wlz-1'}", ""), P_AZ, "s");
	EXPECT(1, "{'" P_AZ "':{'allowLocalZones':true}}", RES(SUBNET, "s", "{'availabilityZone':'us-east-1-bos'}", ""), P_AZ, "s");
	/* Per-region letters and known AZ lists. */
	EXPECT(1, "{'" P_AZ "':{'allowedAzLetters':{'ap-northeast-1':'acd'}}}", RESP(SUBNET, "s", "apne1", "{'availabilityZone':'ap-northeast-1b'}", ""), P_AZ, "s");
	EXPECT(0, "{'" P_AZ "':{'allowedAzLetters':{'ap-northeast-1':'acd'}}}", RESP(SUBNET, "s", "apne1", "{'availabilityZone':'ap-northeast-1d'}", ""), P_AZ, "s");
	EXPECT(1, "{'" P_AZ "':{'knownAzs':{'us-east-1':['us-east-1a','us-east-1b']}}}", RES(SUBNET, "s", "{'availabilityZone':'us-east-1c'}", ""), P_AZ, "s");
	/* v7 per-resource region wins over the provider's. */
	EXPECT(0, NULL, RES(SUBNET, "s", "{'region':'ap-northeast-1','availabilityZone':'ap-northeast-1a'}", ""), P_AZ, "s");
	EXPECT(1, NULL, RES(SUBNET, "s", "{'region':'ap-northeast-1','availabilityZone':'us-east-1a'}", ""), P_AZ, "s");
	/* Default provider: region from stack config; without one, shape only. */
	EXPECT(1, NULL, RESD(SUBNET, "s", "{'availabilityZone':'eu-west-1a'}"), P_AZ, "s");
	EXPECT_R(0, NULL, NULL, RESD(SUBNET, "s", "{'availabilityZone':'eu-west-1a'}"), P_AZ, "s");
	EXPECT_R(1, NULL, NULL, RESD(SUBNET, "s", "{'availabilityZone':'eu-west-a'}"), P_AZ, "s");
	/* Unknown region: a well-formed AZ cannot be judged further; a malformed one still fails. */
	EXPECT(0, NULL, RESP(SUBNET, "s", "unk", "{'availabilityZone':'eu-west-1a'}", ""), P_AZ, "s");
	ck_assert_uint_ge(pct_count_na(&run, P_AZ), 1);
	EXPECT(1, NULL, RESP(SUBNET, "s", "unk", "{'availabilityZone':'eu-west-a'}", ""), P_AZ, "s");
	/* Unknown AZ. */
	EXPECT(0, NULL, RES(SUBNET, "s", "{'availabilityZone':'" U "'}", ""), P_AZ, "s");
	/* Lists (RDS clusters, Auto Scaling groups) and other resource types. */
	EXPECT(1, NULL, RES("aws:rds/cluster:Cluster", "db", "{'availabilityZones':['us-east-1a','us-east-b','" U "']}", ""), P_AZ, "db");
	ck_assert(any_message_contains("availabilityZones[1]"));
	EXPECT(1, NULL, RES("aws:ec2/instance:Instance", "vm", "{'availabilityZone':'us-east-1-a'}", ""), P_AZ, "vm");
	/* Secret AZ values are judged but not quoted. */
	EXPECT(1, NULL, RES(SUBNET, "s", "{'availabilityZone':" SECRET("'zz-top-9q'") "}", ""), P_AZ, "s");
	ck_assert(!any_message_contains("zz-top"));
}
END_TEST

START_TEST(az_ids)
{
	EXPECT(0, NULL, RES(SUBNET, "s", "{'availabilityZoneId':'use1-az4'}", ""), P_AZ, "s");
	EXPECT(0, NULL, RESP(SUBNET, "s", "apne1", "{'availabilityZoneId':'apne1-az1'}", ""), P_AZ, "s");
	EXPECT(1, NULL, RES(SUBNET, "s", "{'availabilityZoneId':'euw1-az1'}", ""), P_AZ, "s");
	EXPECT(1, NULL, RES(SUBNET, "s", "{'availabilityZoneId':'use1az1'}", ""), P_AZ, "s");
	EXPECT(1, NULL, RES(SUBNET, "s", "{'availabilityZoneId':'us-east-1a'}", ""), P_AZ, "s");
	EXPECT(0, NULL, RES(SUBNET, "s", "{'availabilityZoneId':'use1-qro1-az1'}", ""), P_AZ, "s");
	EXPECT(0, NULL, RES(SUBNET, "s", "{'availabilityZoneId':'" U "'}", ""), P_AZ, "s");
}
END_TEST

/* ---- vpc-subnet-cidrs-valid ----------------------------------------------------- */

#define V(name, cidr) RES(VPC, name, "{'cidrBlock':'" cidr "','id':'" U "'}", "")
#define S(name, vpc, cidr) RES(SUBNET, name, "{'vpcId':'" U "','cidrBlock':'" cidr "'}", DEPS("vpcId", VPC, vpc))

START_TEST(cidr_plans)
{
	EXPECT(0, NULL, V("v", "10.0.0.0/16") "," S("a", "v", "10.0.0.0/24") "," S("b", "v", "10.0.1.0/24"), P_CIDR, NULL);
	/* Overlap by nesting and by equality; reported once per later subnet. */
	EXPECT(1, NULL, V("v", "10.0.0.0/16") "," S("a", "v", "10.0.0.0/20") "," S("b", "v", "10.0.1.0/24"), P_CIDR, "b");
	EXPECT(2, NULL, V("v", "10.0.0.0/16") "," S("a", "v", "10.0.1.0/24") "," S("b", "v", "10.0.1.0/24") "," S("c", "v", "10.0.1.0/24"), P_CIDR, NULL);
	/* Same CIDR in two VPCs is fine. */
	EXPECT(0, NULL, V("v", "10.0.0.0/16") "," V("w", "10.0.0.0/16") "," S("a", "v", "10.0.1.0/24") "," S("b", "w", "10.0.1.0/24"), P_CIDR, NULL);
	/* Outside the VPC; prefix limits; host bits; garbage. */
	EXPECT(1, NULL, V("v", "10.0.0.0/16") "," S("a", "v", "10.1.0.0/24"), P_CIDR, "a");
	EXPECT(1, NULL, V("v", "10.0.0.0/16") "," S("a", "v", "10.0.0.0/29"), P_CIDR, "a");
	EXPECT(1, NULL, V("v", "10.0.0.0/12"), P_CIDR, "v");
	EXPECT(1, NULL, V("v", "10.0.0.0/16") "," S("a", "v", "10.0.0.1/24"), P_CIDR, "a");
	ck_assert(any_message_contains("10.0.0.0/24"));
	EXPECT(1, NULL, V("v", "10.0.0.0/16") "," S("a", "v", "10.0.0/24"), P_CIDR, "a");
	/* Secondary CIDR blocks count for containment. */
	EXPECT(0, NULL, V("v", "10.0.0.0/16") "," RES(ASSOC, "x", "{'vpcId':'" U "','cidrBlock':'100.64.0.0/16'}", DEPS("vpcId", VPC, "v"))
	       "," S("a", "v", "100.64.8.0/24"), P_CIDR, NULL);
	/* VPC range unknown (IPAM): containment cannot be judged, overlaps still can. */
	EXPECT(0, NULL, RES(VPC, "v", "{'ipv4IpamPoolId':'" U "','ipv4NetmaskLength':16}", "") "," S("a", "v", "10.9.0.0/24"), P_CIDR, NULL);
	EXPECT(1, NULL, RES(VPC, "v", "{'cidrBlock':'" U "'}", "") "," S("a", "v", "10.9.0.0/24") "," S("b", "v", "10.9.0.0/25"), P_CIDR, "b");
	/* Linked by vpcId value (after deployment) and VPCs outside the stack. */
	EXPECT(1, NULL, RES(VPC, "v", "{'cidrBlock':'10.0.0.0/16','id':'vpc-0a1b2c3d'}", "") ","
	       RES(SUBNET, "a", "{'vpcId':'vpc-0a1b2c3d','cidrBlock':'10.5.0.0/24'}", ""), P_CIDR, "a");
	EXPECT(1, NULL, RES(SUBNET, "a", "{'vpcId':'vpc-0external','cidrBlock':'10.5.0.0/24'}", "") ","
	       RES(SUBNET, "b", "{'vpcId':'vpc-0external','cidrBlock':'10.5.0.0/23'}", ""), P_CIDR, NULL);
	/* IPv6 subnet blocks overlap too. */
	EXPECT(1, NULL, V("v", "10.0.0.0/16") "," RES(SUBNET, "a", "{'vpcId':'" U "','ipv6CidrBlock':'2600:1f18:abc:100::/64'}", DEPS("vpcId", VPC, "v"))
	       "," RES(SUBNET, "b", "{'vpcId':'" U "','ipv6CidrBlock':'2600:1f18:abc:100::/64'}", DEPS("vpcId", VPC, "v")), P_CIDR, NULL);
	/* Unknown CIDRs and unknown VPC links. */
	EXPECT(0, NULL, V("v", "10.0.0.0/16") "," S("a", "v", U) "," RES(SUBNET, "b", "{'vpcId':'" U "','cidrBlock':'10.7.0.0/24'}", ""), P_CIDR, NULL);
}
END_TEST

START_TEST(multi_az)
{
#define SZ(name, az) RES(SUBNET, name, "{'vpcId':'" U "','cidrBlock':'10.0." name ".0/24','availabilityZone':'" az "'}", DEPS("vpcId", VPC, "v"))
	EXPECT(1, NULL, V("v", "10.0.0.0/16") "," SZ("1", "us-east-1a") "," SZ("2", "us-east-1a"), P_MULTI, "v");
	ck_assert_uint_eq(pct_count(&run, P_MULTI, "::v", POL_ADVISORY), 1);
	EXPECT(0, NULL, V("v", "10.0.0.0/16") "," SZ("1", "us-east-1a") "," SZ("2", "us-east-1b"), P_MULTI, "v");
	EXPECT(0, NULL, V("v", "10.0.0.0/16") "," SZ("1", "us-east-1a") "," SZ("2", U), P_MULTI, "v");
	EXPECT(0, "{'" P_MULTI "':{'minAzs':1}}", V("v", "10.0.0.0/16") "," SZ("1", "us-east-1a"), P_MULTI, "v");
#undef SZ
}
END_TEST

/* ---- security groups ------------------------------------------------------------------ */

#define ING(proto, from, to, cidrs) "{'protocol':'" proto "','fromPort':" from ",'toPort':" to ",'cidrBlocks':[" cidrs "]}"
#define SGI_OF(rule) RES(SG, "sg", "{'ingress':[" rule "]}", "")

START_TEST(sg_ingress_inline)
{
	EXPECT(1, NULL, SGI_OF(ING("tcp", "443", "443", "'0.0.0.0/0'")), P_IN, "sg");
	EXPECT(0, NULL, SGI_OF(ING("tcp", "443", "443", "'10.0.0.0/8'")), P_IN, "sg");
	EXPECT(0, NULL, SGI_OF("{'protocol':'tcp','fromPort':443,'toPort':443,'prefixListIds':['pl-3b927c52']}"), P_IN, "sg");
	/* All ports, whatever the knob. */
	EXPECT(1, "{'" P_IN "':{'allowedPublicPorts':[443]}}", SGI_OF(ING("-1", "0", "0", "'0.0.0.0/0'")), P_IN, "sg");
	ck_assert(any_message_contains("all ports"));
	EXPECT(1, "{'" P_IN "':{'allowedPublicPorts':[443]}}", SGI_OF(ING("tcp", "0", "65535", "'0.0.0.0/0'")), P_IN, "sg");
	EXPECT(1, NULL, SGI_OF(ING("50", "0", "0", "'0.0.0.0/0'")), P_IN, "sg");
	/* Allowed public ports: numbers and ranges. */
	EXPECT(0, "{'" P_IN "':{'allowedPublicPorts':[80,443]}}", SGI_OF(ING("tcp", "443", "443", "'0.0.0.0/0'") "," ING("tcp", "80", "80", "'0.0.0.0/0'")), P_IN, "sg");
	EXPECT(1, "{'" P_IN "':{'allowedPublicPorts':[80,443]}}", SGI_OF(ING("tcp", "80", "443", "'0.0.0.0/0'")), P_IN, "sg");
	EXPECT(0, "{'" P_IN "':{'allowedPublicPorts':['8000-8100']}}", SGI_OF(ING("tcp", "8080", "8090", "'0.0.0.0/0'")), P_IN, "sg");
	/* Sensitive ports fail unless explicitly allowed. */
	EXPECT(1, "{'" P_IN "':{'allowedPublicPorts':[443]}}", SGI_OF(ING("tcp", "22", "22", "'0.0.0.0/0'")), P_IN, "sg");
	ck_assert(any_message_contains("sensitive port 22"));
	EXPECT(1, NULL, SGI_OF(ING("tcp", "3000", "3400", "'0.0.0.0/0'")), P_IN, "sg");
	ck_assert(any_message_contains("sensitive port 3306"));
	EXPECT(0, "{'" P_IN "':{'allowedPublicPorts':[22]}}", SGI_OF(ING("tcp", "22", "22", "'0.0.0.0/0'")), P_IN, "sg");
	EXPECT(1, "{'" P_IN "':{'sensitivePorts':[8443],'allowedPublicPorts':[443]}}", SGI_OF(ING("tcp", "8443", "8443", "'0.0.0.0/0'")), P_IN, "sg");
	/* ICMP carries no port. */
	EXPECT(0, NULL, SGI_OF(ING("icmp", "3", "4", "'0.0.0.0/0'")), P_IN, "sg");
	/* IPv6 spellings of ::/0; near-/0 blocks with minPrefixLength. */
	EXPECT(1, NULL, SGI_OF("{'protocol':'tcp','fromPort':443,'toPort':443,'ipv6CidrBlocks':['0:0:0:0:0:0:0:0/0']}"), P_IN, "sg");
	EXPECT(0, NULL, SGI_OF(ING("tcp", "443", "443", "'1.0.0.0/4'")), P_IN, "sg");
	EXPECT(1, "{'" P_IN "':{'minPrefixLength':8}}", SGI_OF(ING("tcp", "443", "443", "'1.0.0.0/4'")), P_IN, "sg");
	/* Two offending rules, two reports; the path names the rule. */
	EXPECT(2, NULL, SGI_OF(ING("tcp", "443", "443", "'0.0.0.0/0'") "," ING("tcp", "80", "80", "'10.0.0.0/8','0.0.0.0/0'")), P_IN, "sg");
	ck_assert(any_message_contains("ingress[1]"));
	/* Default security group. */
	EXPECT(1, NULL, RES(DSG, "dsg", "{'ingress':[" ING("-1", "0", "0", "'0.0.0.0/0'") "]}", ""), P_IN, "dsg");
}
END_TEST

START_TEST(sg_ingress_unknowns_secrets)
{
	EXPECT(0, NULL, RES(SG, "sg", "{'ingress':'" U "'}", ""), P_IN, "sg");
	EXPECT(0, NULL, SGI_OF(ING("tcp", "443", "443", "'" U "'")), P_IN, "sg");
	EXPECT(0, NULL, SGI_OF("{'protocol':'tcp','fromPort':443,'toPort':443,'cidrBlocks':'" U "'}"), P_IN, "sg");
	EXPECT(0, NULL, SGI_OF("{'protocol':'" U "','fromPort':443,'toPort':443,'cidrBlocks':['0.0.0.0/0']}"), P_IN, "sg");
	ck_assert_uint_ge(pct_count_na(&run, P_IN), 1);
	EXPECT(1, NULL, SGI_OF("{'protocol':'tcp','fromPort':443,'toPort':443,'cidrBlocks':[" SECRET("'0.0.0.0/0'") "]}"), P_IN, "sg");
	ck_assert(!any_message_contains("0.0.0.0/0 on"));
}
END_TEST

START_TEST(sg_rule_resources)
{
	EXPECT(1, NULL, RES(SGR, "r", "{'type':'ingress','protocol':'tcp','fromPort':443,'toPort':443,'cidrBlocks':['0.0.0.0/0'],'securityGroupId':'" U "'}", ""), P_IN, "r");
	EXPECT(0, NULL, RES(SGR, "r", "{'type':'egress','protocol':'tcp','fromPort':443,'toPort':443,'cidrBlocks':['0.0.0.0/0']}", ""), P_IN, "r");
	EXPECT(0, NULL, RES(SGR, "r", "{'type':'" U "','protocol':'tcp','fromPort':443,'toPort':443,'cidrBlocks':['0.0.0.0/0']}", ""), P_IN, "r");
	EXPECT(1, NULL, RES(SGI, "r", "{'ipProtocol':'-1','cidrIpv4':'0.0.0.0/0'}", ""), P_IN, "r");
	EXPECT(1, NULL, RES(SGI, "r", "{'ipProtocol':'tcp','fromPort':443,'toPort':443,'cidrIpv6':'::0/0'}", ""), P_IN, "r");
	EXPECT(0, NULL, RES(SGI, "r", "{'ipProtocol':'tcp','fromPort':443,'toPort':443,'referencedSecurityGroupId':'" U "'}", ""), P_IN, "r");
	EXPECT(0, "{'" P_IN "':{'allowedPublicPorts':[443]}}", RES(SGI, "r", "{'ipProtocol':'tcp','fromPort':443,'toPort':443,'cidrIpv6':'::/0'}", ""), P_IN, "r");
}
END_TEST

START_TEST(sg_egress)
{
	EXPECT(1, NULL, RES(SG, "sg", "{'egress':[" ING("-1", "0", "0", "'0.0.0.0/0'") "]}", ""), P_OUT, "sg");
	ck_assert_uint_eq(pct_count(&run, P_OUT, "::sg", POL_ADVISORY), 1);
	EXPECT(0, NULL, RES(SG, "sg", "{'egress':[" ING("-1", "0", "0", "'10.0.0.0/16'") "]}", ""), P_OUT, "sg");
	EXPECT(0, "{'" P_OUT "':{'allowedPublicPorts':[443]}}", RES(SG, "sg", "{'egress':[" ING("tcp", "443", "443", "'0.0.0.0/0'") "]}", ""), P_OUT, "sg");
	EXPECT(1, NULL, RES(SGE, "r", "{'ipProtocol':'tcp','fromPort':443,'toPort':443,'cidrIpv6':'::/0'}", ""), P_OUT, "r");
	EXPECT(1, NULL, RES(SGR, "r", "{'type':'egress','protocol':'tcp','fromPort':22,'toPort':22,'cidrBlocks':['0.0.0.0/0']}", ""), P_OUT, "r");
	/* Egress never trips the ingress policy and vice versa. */
	EXPECT(0, NULL, RES(SG, "sg", "{'egress':[" ING("-1", "0", "0", "'0.0.0.0/0'") "]}", ""), P_IN, "sg");
	EXPECT(0, NULL, SGI_OF(ING("tcp", "443", "443", "'0.0.0.0/0'")), P_OUT, "sg");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ec2");
	TCase *tc = tcase_create("availability-zones");
	int failed;

	tcase_add_loop_test(tc, az_names, 0, (int)(sizeof(azs) / sizeof(azs[0])));
	tcase_add_test(tc, az_knobs_and_regions);
	tcase_add_test(tc, az_ids);
	suite_add_tcase(s, tc);
	tc = tcase_create("cidrs");
	tcase_add_test(tc, cidr_plans);
	tcase_add_test(tc, multi_az);
	suite_add_tcase(s, tc);
	tc = tcase_create("security-groups");
	tcase_add_test(tc, sg_ingress_inline);
	tcase_add_test(tc, sg_ingress_unknowns_secrets);
	tcase_add_test(tc, sg_rule_resources);
	tcase_add_test(tc, sg_egress);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	pct_run_free(&run);
	free(fx_buf);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
