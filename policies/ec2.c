/*
 * ec2.c - policy family "ec2" (see families.h): Availability Zone names,
 * VPC/subnet CIDR plans, and security-group exposure.
 *
 * Security-group rules come in four shapes that mean the same thing:
 * inline `ingress[]`/`egress[]` of SecurityGroup and DefaultSecurityGroup,
 * ec2.SecurityGroupRule (type = ingress|egress, cidrBlocks lists), and the
 * newer vpc.SecurityGroupIngressRule/EgressRule (one cidrIpv4 / cidrIpv6 and
 * ipProtocol). They are all judged by one function over a small descriptor.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "aws.h"
#include "cidr.h"
#include "policy.h"
#include "stack.h"

#define EC2_SUBNET "aws:ec2/subnet:Subnet"
#define EC2_VPC "aws:ec2/vpc:Vpc"
#define EC2_VPC_CIDR_ASSOC "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"
#define EC2_SG "aws:ec2/securityGroup:SecurityGroup"
#define EC2_DEFAULT_SG "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
#define EC2_SG_RULE "aws:ec2/securityGroupRule:SecurityGroupRule"
#define VPC_SG_INGRESS "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
#define VPC_SG_EGRESS "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"

/* ---- availability-zone-valid ----------------------------------------------- */

static int ec2_lower(char ch)
{
	return ch >= 'a' && ch <= 'z';
}

static int ec2_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Skip a run of [a-z] (at least min); returns the end or NULL. */
static const char *ec2_letters(const char *s, size_t min)
{
	size_t n = 0;

	while (ec2_lower(s[n]))
		n++;
	return n >= min ? s + n : NULL;
}

static const char *ec2_digits(const char *s)
{
	size_t n = 0;

	while (ec2_digit(s[n]))
		n++;
	return n ? s + n : NULL;
}

/* `rest` after "<region>-": Local Zone "lax-1a" (1) or Wavelength Zone "wl1-bos-wlz-1" (2); else 0. */
static int ec2_local_zone_kind(const char *rest)
{
	const char *p;

	if (strncmp(rest, "wl1-", 4) == 0) {
		p = ec2_letters(rest + 4, 3);
		if (p && strncmp(p, "-wlz-", 5) == 0 && (p = ec2_digits(p + 5)) && *p == '\0')
			return 2;
		return 0;
	}
	p = ec2_letters(rest, 3);
	if (!p || *p != '-')
		return 0;
	p = ec2_digits(p + 1);
	if (p && ec2_lower(p[0]) && p[1] == '\0')
		return 1;
	return 0;
}

/* "use1-az1" (or Local Zone "use1-qro1-az1"). */
static int ec2_az_id_shaped(const char *s)
{
	const char *p = ec2_letters(s, 3);

	if (!p || p - s > 5 || !(p = ec2_digits(p)) || *p != '-')
		return 0;
	p++;
	if (strncmp(p, "az", 2) != 0) {
		const char *q = ec2_letters(p, 3);
		if (!q || q - p != 3 || !(q = ec2_digits(q)) || *q != '-')
			return 0;
		p = q + 1;
		if (strncmp(p, "az", 2) != 0)
			return 0;
	}
	p = ec2_digits(p + 2);
	return p && *p == '\0';
}

/*
 * The AZ-ID prefix of a region ("us-east-1" -> "use1", "ap-northeast-2" ->
 * "apne2", "us-gov-west-1" -> "usgw1"); NULL when a part is not one we know.
 */
static const char *ec2_region_id_prefix(struct arena *a, const char *region)
{
	static const struct { const char *word, *abbr; } words[] = {
		{ "north", "n" }, { "south", "s" }, { "east", "e" }, { "west", "w" },
		{ "central", "c" }, { "northeast", "ne" }, { "northwest", "nw" },
		{ "southeast", "se" }, { "southwest", "sw" }, { "gov", "g" },
	};
	char buf[32];
	size_t o = 0;
	const char *p = region, *dash;

	dash = strchr(p, '-');
	if (!dash || dash - p > 4)
		return NULL;
	memcpy(buf, p, (size_t)(dash - p));
	o = (size_t)(dash - p);
	p = dash + 1;
	while ((dash = strchr(p, '-')) != NULL) {
		size_t len = (size_t)(dash - p), k;
		for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			if (strlen(words[k].word) == len && strncmp(words[k].word, p, len) == 0)
				break;
		if (k == sizeof(words) / sizeof(words[0]) || o + 3 >= sizeof(buf))
			return NULL;
		memcpy(buf + o, words[k].abbr, strlen(words[k].abbr));
		o += strlen(words[k].abbr);
		p = dash + 1;
	}
	if (!ec2_digits(p) || *ec2_digits(p) != '\0' || o + strlen(p) + 1 > sizeof(buf))
		return NULL;
	memcpy(buf + o, p, strlen(p) + 1);
	return arena_strdup(a, buf);
}

/* True when the zone letter is allowed for `region` (knob allowedAzLetters, default a-f). */
static int ec2_letter_allowed(struct pol_ctx *c, const char *region, char letter)
{
	const pv_value *m = pol_cfg(c, "allowedAzLetters");
	const pv_value *v = pv_get(m, region);

	if (pv_kind(v) == PV_STRING)
		return strchr(pv_str(v), letter) != NULL;
	if (pv_kind(v) == PV_LIST) {
		const pv_value *e;
		PV_LIST_FOREACH(i, e, v) {
			const char *s = pv_str(e);
			if (s && s[0] == letter && s[1] == '\0')
				return 1;
		}
		return 0;
	}
	return letter >= 'a' && letter <= 'f';
}

/* knownAzs[region]: 1 listed, 0 not listed, -1 no list for the region. */
static int ec2_known_az(struct pol_ctx *c, const char *region, const char *az)
{
	const pv_value *v = pv_get(pol_cfg(c, "knownAzs"), region), *e;

	if (pv_kind(v) != PV_LIST)
		return -1;
	PV_LIST_FOREACH(i, e, v) {
		if (pv_str(e) && strcmp(pv_str(e), az) == 0)
			return 1;
	}
	return 0;
}

/*
 * Region part of a "<region><letter>" AZ name when it is a listed region (or,
 * unless known_only, one shaped like a region); NULL otherwise.
 */
static const char *ec2_az_region(struct arena *a, const char *az, int known_only)
{
	size_t n = strlen(az);
	char *reg;
	enum aws_region_status st;

	if (n < 2 || !ec2_lower(az[n - 1]) || !ec2_digit(az[n - 2]))
		return NULL;
	reg = arena_strndup(a, az, n - 1);
	if (!reg)
		return NULL;
	st = aws_region_check(reg);
	if (st == AWS_REGION_KNOWN || (!known_only && st == AWS_REGION_WELL_FORMED))
		return reg;
	return NULL;
}

/*
 * Why `az` is not a usable AZ name for a resource in `region` (NULL when the
 * region is not known), as a clause for a message; NULL when it is fine.
 */
static const char *ec2_az_problem(struct pol_ctx *c, const char *az, const char *region)
{
	struct arena *a = pol_arena(c);
	int allow_local = pol_cfg_bool(c, "allowLocalZones");
	size_t n = strlen(az), rl = region ? strlen(region) : 0;
	const char *other;

	if (region && strncmp(az, region, rl) == 0) {
		if (n == rl + 1 && ec2_lower(az[rl])) {
			if (!ec2_letter_allowed(c, region, az[rl]))
				return arena_printf(a, "uses zone letter '%c', which %s does not have "
						    "(allowedAzLetters)", az[rl], region);
			if (ec2_known_az(c, region, az) == 0)
				return arena_printf(a, "is not in knownAzs for %s", region);
			return NULL;
		}
		if (n == rl)
			return "is a region, not an Availability Zone: append the zone letter";
		if (az[rl] == '-') {
			int kind = ec2_local_zone_kind(az + rl + 1);
			if (kind && allow_local)
				return NULL;
			if (kind)
				return arena_printf(a, "is a %s; set allowLocalZones: true if that is intended",
						    kind == 1 ? "Local Zone" : "Wavelength Zone");
			if (n == rl + 2 && ec2_lower(az[rl + 1]))
				return "has a '-' before the zone letter";
		}
		return arena_printf(a, "is not %s followed by a zone letter", region);
	}
	if (ec2_az_id_shaped(az))
		return "is an AZ ID, not an AZ name: set availabilityZoneId instead";
	other = ec2_az_region(a, az, region != NULL);
	if (other && region)
		return arena_printf(a, "is an Availability Zone of %s, but the resource is deployed to %s",
				    other, region);
	if (other) {
		if (!ec2_letter_allowed(c, other, az[n - 1]))
			return arena_printf(a, "uses zone letter '%c', which %s does not have "
					    "(allowedAzLetters)", az[n - 1], other);
		return NULL;
	}
	if (!region) {
		/* Without a region, still accept a Local/Wavelength Zone of any real region when allowed. */
		for (size_t i = n; allow_local && i-- > 0;) {
			if (az[i] != '-')
				continue;
			char *reg = arena_strndup(a, az, i);
			enum aws_region_status st = reg ? aws_region_check(reg) : AWS_REGION_MALFORMED;
			if ((st == AWS_REGION_KNOWN || st == AWS_REGION_WELL_FORMED) &&
			    ec2_local_zone_kind(az + i + 1))
				return NULL;
		}
		return "is not a region name followed by a zone letter (e.g. \"us-east-1a\")";
	}
	/* A region cut short by string slicing ("ap-southeast-1"[:9] + "a" = "ap-southea"). */
	if (n >= 3 && n - 1 < rl && strncmp(az, region, n - 1) == 0)
		return arena_printf(a, "looks like %s cut short (string slicing) plus a zone letter",
				    region);
	return arena_printf(a, "is not %s followed by a zone letter", region);
}

/* Judge one AZ name value at `path`. */
static void ec2_check_az_value(struct pol_ctx *c, const pv_value *v, const char *path, const char *region,
			       int region_unknown)
{
	const char *az, *why;

	if (pv_kind(v) == PV_UNKNOWN) {
		pol_unknown(c, path);
		return;
	}
	if (pv_kind(v) != PV_STRING)
		return;
	az = pv_str(v);
	if (!*az)
		return;         /* empty: AWS chooses, like an absent value */
	why = ec2_az_problem(c, az, region);
	if (!why) {
		if (region_unknown)
			pol_unknown(c, "region");
		return;
	}
	if (pv_is_secret(v))
		pol_report(c, NULL, path, "%s %s: use names returned by aws.getAvailabilityZones() for "
			   "the resource's region, or set availabilityZoneId.", path, why);
	else
		pol_report(c, NULL, path, "%s \"%s\" %s: use names returned by "
			   "aws.getAvailabilityZones() for the resource's region (e.g. \"%sa\"), or set "
			   "availabilityZoneId.", path, az, why, region ? region : "us-east-1");
}

static void ec2_check_az_id(struct pol_ctx *c, const pv_value *v, const char *region)
{
	struct arena *a = pol_arena(c);
	const char *id, *pre, *dash;

	if (pv_kind(v) == PV_UNKNOWN) {
		pol_unknown(c, "availabilityZoneId");
		return;
	}
	if (pv_kind(v) != PV_STRING || pv_is_secret(v))
		return;
	id = pv_str(v);
	if (!ec2_az_id_shaped(id)) {
		pol_report(c, NULL, "availabilityZoneId", "availabilityZoneId \"%s\" is not an AZ ID "
			   "(like \"use1-az1\"): use the zoneIds returned by aws.getAvailabilityZones(), "
			   "or set availabilityZone to an AZ name instead.", id);
		return;
	}
	if (!region)
		return;
	pre = ec2_region_id_prefix(a, region);
	dash = strchr(id, '-');
	if (pre && dash && (strlen(pre) != (size_t)(dash - id) || strncmp(pre, id, strlen(pre)) != 0))
		pol_report(c, NULL, "availabilityZoneId", "availabilityZoneId \"%s\" belongs to another "
			   "region than %s (whose AZ IDs look like \"%s-az1\"): use the zoneIds returned by "
			   "aws.getAvailabilityZones() in that region.", id, region, pre);
}

static void check_az_valid(struct pol_ctx *c, const struct pol_resource *r)
{
	static const char *const single[] = { "availabilityZone", "availabilityZoneName" };
	const char *region = NULL;
	int rc = pol_region(c, r, &region), region_unknown = rc == PV_EUNKNOWN;
	const pv_value *v;

	if (rc != PV_OK)
		region = NULL;
	for (size_t i = 0; i < 2; i++)
		ec2_check_az_value(c, pv_get(r->props, single[i]), single[i], region, region_unknown);
	v = pv_get(r->props, "availabilityZones");
	if (pv_kind(v) == PV_UNKNOWN) {
		pol_unknown(c, "availabilityZones");
	} else {
		const pv_value *e;
		PV_LIST_FOREACH(i, e, v) {
			const char *path = arena_printf(pol_arena(c), "availabilityZones[%zu]", i);
			ec2_check_az_value(c, e, path ? path : "availabilityZones", region, region_unknown);
		}
	}
	ec2_check_az_id(c, pv_get(r->props, "availabilityZoneId"), region);
}

/* ---- VPC and subnet CIDR plans (stack) -------------------------------------- */

struct ec2_block {
	const struct pol_resource *r;
	const char *group;      /* VPC key: a VPC URN, or "id:<vpc-id>" for VPCs outside the stack */
	struct cidr cidr;
	const char *text;       /* as written (NULL when secret) */
	const char *prop;       /* "cidrBlock" / "ipv6CidrBlock" */
};

/*
 * The VPC a subnet/association belongs to: the VPC resource's URN (through
 * propertyDependencies.vpcId, or the vpcId value matching a VPC's id), or
 * "id:<vpcId>" for a VPC outside the stack; NULL when unknown.
 */
static const char *ec2_vpc_key(struct arena *a, const struct stk_index *s, const struct pol_resource *r)
{
	const struct pol_resource *vpc;
	const pv_value *v;

	if (stk_prop_depends_on_type(s, r, "vpcId", EC2_VPC, &vpc) && vpc)
		return vpc->urn;
	v = pv_get(r->props, "vpcId");
	if (pv_kind(v) != PV_STRING)
		return NULL;
	STK_FOREACH_TYPE(s, EC2_VPC, vpc) {
		const char *id = pv_str(pv_get(vpc->props, "id"));
		if (id && strcmp(id, pv_str(v)) == 0)
			return vpc->urn;
	}
	return arena_printf(a, "id:%s", pv_str(v));
}

/*
 * Parse and validate one CIDR property. Returns 1 with *out filled when it
 * is a valid block, 0 when absent or reported, -1 when unknown.
 */
static int ec2_cidr_prop(struct pol_ctx *c, const struct pol_resource *r, const char *prop, int v6,
			 struct cidr *out, const char **text)
{
	const pv_value *v = pv_get(r->props, prop);
	const char *s;
	char canon[CIDR_STRLEN];
	int secret;

	if (pv_kind(v) == PV_UNKNOWN)
		return -1;
	if (pv_kind(v) != PV_STRING || !*pv_str(v))
		return 0;
	s = pv_str(v);
	secret = pv_is_secret(v);
	*text = secret ? NULL : s;
	if (cidr_parse(s, out) != 0 || (out->family == 6) != v6) {
		pol_report(c, r->urn, prop, "%s %s%s%s is not a valid %s CIDR block: write it as "
			   "\"%s\".", prop, secret ? "" : "\"", secret ? "" : s, secret ? "" : "\"",
			   v6 ? "IPv6" : "IPv4", v6 ? "2001:db8:1234:1a00::/64" : "10.0.1.0/24");
		return 0;
	}
	if (cidr_host_bits_set(out)) {
		pol_report(c, r->urn, prop, "%s %s has host bits set after the /%d prefix: use the "
			   "network address %s.", prop, secret ? "(secret)" : s, out->prefix,
			   secret ? "instead" : cidr_format(out, canon, sizeof(canon)));
		return 0;
	}
	if (!v6 && (out->prefix < 16 || out->prefix > 28)) {
		pol_report(c, r->urn, prop, "%s %s has prefix /%d; AWS allows VPC and subnet IPv4 blocks "
			   "from /16 to /28: choose a prefix in that range.", prop, secret ? "(secret)" : s,
			   out->prefix);
		return 0;
	}
	return 1;
}

static int ec2_block_cmp(const void *x, const void *y)
{
	const struct ec2_block *a = x, *b = y;
	int r = strcmp(a->group, b->group);

	if (r)
		return r;
	r = cidr_cmp(&a->cidr, &b->cidr);
	if (r)
		return r;
	return (a->r->index > b->r->index) - (a->r->index < b->r->index);
}

static const char *ec2_show(const struct ec2_block *b, char *buf)
{
	return b->text ? b->text : cidr_format(&b->cidr, buf, CIDR_STRLEN);
}

/* Report overlapping subnet blocks within each VPC: sort, then one sweep (blocks nest or are disjoint). */
static void ec2_overlaps(struct pol_ctx *c, struct ec2_block *blk, size_t n)
{
	size_t open = 0;
	char b1[CIDR_STRLEN], b2[CIDR_STRLEN];

	qsort(blk, n, sizeof(*blk), ec2_block_cmp);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(blk[i].group, blk[open].group) != 0 ||
		    blk[i].cidr.family != blk[open].cidr.family ||
		    !cidr_overlaps(&blk[open].cidr, &blk[i].cidr)) {
			open = i;
			continue;
		}
		pol_report(c, blk[i].r->urn, blk[i].prop, "%s %s of subnet %s overlaps %s of subnet %s in "
			   "the same VPC: derive non-overlapping subnet blocks from the VPC CIDR (e.g. "
			   "cidrsubnet-style per AZ and tier) instead of hard-coding them.", blk[i].prop,
			   ec2_show(&blk[i], b1), blk[i].r->name, ec2_show(&blk[open], b2),
			   blk[open].r->name);
	}
}

static void check_vpc_subnet_cidrs(struct pol_ctx *c, const struct stk_index *s)
{
	struct arena *a = pol_arena(c);
	const struct pol_resource *r, *x;
	struct ec2_block *subs, *vpcs;
	size_t n_sub = 0, n_vpc = 0, cap_sub, cap_vpc;
	size_t f;

	cap_sub = stk_type_range(s, EC2_SUBNET, &f) * 2;
	cap_vpc = stk_type_range(s, EC2_VPC, &f) + stk_type_range(s, EC2_VPC_CIDR_ASSOC, &f);
	subs = arena_alloc(a, (cap_sub + 1) * sizeof(*subs));
	vpcs = arena_alloc(a, (cap_vpc + 1) * sizeof(*vpcs));
	if (!subs || !vpcs)
		return;

	/* VPC blocks: primary CIDRs and secondary associations, keyed by VPC. */
	STK_FOREACH_TYPE(s, EC2_VPC, r) {
		struct ec2_block *b = &vpcs[n_vpc];
		int k = ec2_cidr_prop(c, r, "cidrBlock", 0, &b->cidr, &b->text);
		b->r = r;
		b->group = r->urn;
		b->prop = "cidrBlock";
		if (k == 1) {
			n_vpc++;
		} else if (k < 0 || pv_kind(pv_get(r->props, "ipv4IpamPoolId")) != PV_MISSING) {
			/* IPAM-allocated or unknown: remember that the VPC range is not known. */
			b->cidr.family = 0;
			n_vpc++;
		}
	}
	STK_FOREACH_TYPE(s, EC2_VPC_CIDR_ASSOC, r) {
		struct ec2_block *b = &vpcs[n_vpc];
		const char *key = ec2_vpc_key(a, s, r);
		int k = ec2_cidr_prop(c, r, "cidrBlock", 0, &b->cidr, &b->text);
		if (!key)
			continue;
		b->r = r;
		b->group = key;
		b->prop = "cidrBlock";
		if (k != 1)
			b->cidr.family = 0;
		n_vpc++;
	}

	STK_FOREACH_TYPE(s, EC2_SUBNET, r) {
		static const char *const props[] = { "cidrBlock", "ipv6CidrBlock" };
		const char *key = ec2_vpc_key(a, s, r);

		for (int v6 = 0; v6 <= 1; v6++) {
			struct ec2_block *b = &subs[n_sub];
			int k = ec2_cidr_prop(c, r, props[v6], v6, &b->cidr, &b->text);
			if (k < 0)
				pol_unknown(c, props[v6]);
			if (k != 1)
				continue;
			b->r = r;
			b->prop = props[v6];
			b->group = key;
			if (!key) {
				pol_unknown(c, "vpcId");
				continue;
			}
			n_sub++;
			if (v6 || strncmp(key, "id:", 3) == 0)
				continue;       /* IPv6 ranges are Amazon-assigned; outside VPCs are unknown */

			/* Containment in the VPC's IPv4 blocks (known ones only). */
			int contained = 0, vpc_unknown = 0, vpc_seen = 0;
			for (size_t j = 0; j < n_vpc; j++) {
				if (strcmp(vpcs[j].group, key) != 0)
					continue;
				vpc_seen = 1;
				if (vpcs[j].cidr.family == 0)
					vpc_unknown = 1;
				else if (cidr_contains(&vpcs[j].cidr, &b->cidr))
					contained = 1;
			}
			if (contained || !vpc_seen)
				continue;
			if (vpc_unknown) {
				pol_unknown(c, "cidrBlock");
				continue;
			}
			x = stk_by_urn(s, key);
			char b1[CIDR_STRLEN], b2[CIDR_STRLEN];
			const struct ec2_block *vb = NULL;
			for (size_t j = 0; j < n_vpc && !vb; j++)
				if (strcmp(vpcs[j].group, key) == 0)
					vb = &vpcs[j];
			pol_report(c, r->urn, "cidrBlock", "cidrBlock %s of subnet %s is outside the CIDR "
				   "%s of VPC %s: derive subnet blocks from the VPC's cidrBlock instead of "
				   "hard-coding them.", ec2_show(b, b1), r->name,
				   vb ? ec2_show(vb, b2) : "?", x ? x->name : key);
		}
	}
	ec2_overlaps(c, subs, n_sub);
}

/* ---- vpc-subnets-multi-az (advisory) ----------------------------------------- */

static void check_subnets_multi_az(struct pol_ctx *c, const struct stk_index *s)
{
	struct arena *a = pol_arena(c);
	size_t min_azs = (size_t)pol_cfg_num(c, "minAzs", 2);
	const struct pol_resource *vpc, *sub;

	STK_FOREACH_TYPE(s, EC2_VPC, vpc) {
		const char *first = NULL;
		size_t n_sub = 0, distinct = 0, f;
		size_t cap = stk_type_range(s, EC2_SUBNET, &f);
		const char **seen = arena_alloc(a, (cap + 1) * sizeof(*seen));
		int unknown = 0;

		if (!seen)
			return;
		STK_FOREACH_TYPE(s, EC2_SUBNET, sub) {
			const char *key = ec2_vpc_key(a, s, sub), *az;
			const pv_value *v;
			size_t k;

			if (!key || strcmp(key, vpc->urn) != 0)
				continue;
			n_sub++;
			v = pv_get(sub->props, "availabilityZone");
			if (pv_kind(v) != PV_STRING)
				v = pv_get(sub->props, "availabilityZoneId");
			if (pv_kind(v) != PV_STRING) {
				unknown = 1;    /* AWS picks the AZ, or it is unknown in preview */
				continue;
			}
			az = pv_str(v);
			if (!first)
				first = pv_is_secret(v) ? "one zone" : az;
			for (k = 0; k < distinct; k++)
				if (strcmp(seen[k], az) == 0)
					break;
			if (k == distinct)
				seen[distinct++] = az;
		}
		if (n_sub == 0 || distinct >= min_azs)
			continue;
		if (unknown) {
			pol_unknown(c, "availabilityZone");
			continue;
		}
		pol_report(c, vpc->urn, NULL, "All %zu subnet(s) of VPC %s are in %s; spread subnets over "
			   "at least %zu Availability Zones so one AZ outage does not take the network down.",
			   n_sub, vpc->name, first ? first : "one zone", min_azs);
	}
}

/* ---- security groups ---------------------------------------------------------- */

enum ec2_proto { EC2_P_ALL, EC2_P_TCP, EC2_P_UDP, EC2_P_ICMP, EC2_P_OTHER, EC2_P_UNKNOWN };

static enum ec2_proto ec2_protocol(const pv_value *v, const char **name)
{
	const char *s;
	double d;

	*name = "";
	if (pv_kind(v) == PV_UNKNOWN)
		return EC2_P_UNKNOWN;
	if (pv_kind(v) == PV_MISSING || pv_kind(v) == PV_NULL)
		return EC2_P_TCP;       /* never absent in practice: required by every shape */
	if (pv_kind(v) == PV_NUMBER && pv_get_num(v, &d) == PV_OK) {
		if (d == -1)
			return EC2_P_ALL;
		if (d == 6) {
			*name = "tcp";
			return EC2_P_TCP;
		}
		if (d == 17) {
			*name = "udp";
			return EC2_P_UDP;
		}
		return d == 1 || d == 58 ? EC2_P_ICMP : EC2_P_OTHER;
	}
	s = pv_str(v);
	if (!s)
		return EC2_P_OTHER;
	*name = s;
	if (strcmp(s, "-1") == 0 || strcasecmp(s, "all") == 0)
		return EC2_P_ALL;
	if (strcasecmp(s, "tcp") == 0 || strcmp(s, "6") == 0)
		return EC2_P_TCP;
	if (strcasecmp(s, "udp") == 0 || strcmp(s, "17") == 0)
		return EC2_P_UDP;
	if (strcasecmp(s, "icmp") == 0 || strcasecmp(s, "icmpv6") == 0 || strcmp(s, "1") == 0 ||
	    strcmp(s, "58") == 0)
		return EC2_P_ICMP;
	return EC2_P_OTHER;
}

/* Default sensitive ports: remote admin, databases, caches, search, file sharing, Docker. */
static const int ec2_default_sensitive[] = {
	20, 21, 22, 23, 25, 110, 135, 139, 143, 445, 1433, 1521, 2049, 2375, 2376, 3306, 3389,
	5432, 5601, 5900, 6379, 9200, 9300, 11211, 27017,
};

/* Is `port` in the knob list (numbers or "from-to" strings)? */
static int ec2_port_in_list(const pv_value *list, int port)
{
	const pv_value *e;
	double d;

	PV_LIST_FOREACH(i, e, list) {
		const char *s = pv_str(e);
		if (pv_kind(e) == PV_NUMBER && pv_get_num(e, &d) == PV_OK && (int)d == port)
			return 1;
		if (s) {
			char *end;
			long lo = strtol(s, &end, 10), hi = lo;
			if (end == s)
				continue;
			if (*end == '-')
				hi = strtol(end + 1, &end, 10);
			if (*end == '\0' && lo <= port && port <= hi)
				return 1;
		}
	}
	return 0;
}

/* `list` is the sensitivePorts knob (the schema default when unset). */
static int ec2_is_sensitive(const pv_value *list, int port)
{
	if (pv_kind(list) == PV_LIST)
		return ec2_port_in_list(list, port);
	for (size_t i = 0; i < sizeof(ec2_default_sensitive) / sizeof(ec2_default_sensitive[0]); i++)
		if (ec2_default_sensitive[i] == port)
			return 1;
	return 0;
}

/* Where a rule's fields live. */
struct ec2_rule_shape {
	const char *proto_key;          /* "protocol" / "ipProtocol" */
	const char *v4_key, *v6_key;    /* lists (cidrBlocks) or single strings (cidrIpv4) */
};

static const struct ec2_rule_shape ec2_shape_classic = { "protocol", "cidrBlocks", "ipv6CidrBlocks" };
static const struct ec2_rule_shape ec2_shape_vpc = { "ipProtocol", "cidrIpv4", "cidrIpv6" };

/* First public CIDR of a rule: 1 found (*cidr_text and *cidr_path set), 0 none, -1 unknown CIDR seen. */
static int ec2_public_cidr(struct pol_ctx *c, const pv_value *rule, const struct ec2_rule_shape *sh,
			   const char *base, const char **cidr_text, const char **cidr_path)
{
	struct arena *a = pol_arena(c);
	int min_prefix = (int)pol_cfg_num(c, "minPrefixLength", 0);
	const char *keys[2] = { sh->v4_key, sh->v6_key };
	int unknown = 0;

	for (size_t k = 0; k < 2; k++) {
		const pv_value *v = pv_get(rule, keys[k]), *e;
		size_t n = pv_kind(v) == PV_LIST ? pv_len(v) : 1;

		if (pv_kind(v) == PV_UNKNOWN) {
			unknown = 1;
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			struct cidr cb;
			e = pv_kind(v) == PV_LIST ? pv_at(v, i) : v;
			if (pv_kind(e) == PV_UNKNOWN) {
				unknown = 1;
				continue;
			}
			if (pv_kind(e) != PV_STRING || cidr_parse(pv_str(e), &cb) != 0)
				continue;
			if (cb.prefix != 0 && !(cb.family == 4 && cb.prefix < min_prefix))
				continue;
			*cidr_text = pv_is_secret(e) ? "a public range" : pv_str(e);
			if (pv_kind(v) == PV_LIST)
				*cidr_path = arena_printf(a, "%s%s%s[%zu]", base, *base ? "." : "", keys[k], i);
			else
				*cidr_path = arena_printf(a, "%s%s%s", base, *base ? "." : "", keys[k]);
			if (!*cidr_path)
				*cidr_path = keys[k];
			return 1;
		}
	}
	return unknown ? -1 : 0;
}

/*
 * Judge one rule. `base` is its path ("ingress[0]", "" for standalone rule
 * resources). Reports on the current resource.
 */
static void ec2_judge_rule(struct pol_ctx *c, const pv_value *rule, const struct ec2_rule_shape *sh,
			   const char *base, int egress)
{
	struct arena *a = pol_arena(c);
	const pv_value *allowed = pol_cfg(c, "allowedPublicPorts");
	const pv_value *sensitive_ports = pol_cfg(c, "sensitivePorts");
	const char *cidr = NULL, *cpath = NULL, *pname, *what;
	const char *dir = egress ? "egress to" : "ingress from";
	enum ec2_proto proto;
	double from = 0, to = 65535;
	int pub, rf, rt, sensitive = -1, outside = -1;

	if (pv_kind(rule) == PV_UNKNOWN) {
		pol_unknown(c, *base ? base : "ingress");
		return;
	}
	pub = ec2_public_cidr(c, rule, sh, base, &cidr, &cpath);
	if (pub < 0)
		pol_unknown(c, *base ? base : sh->v4_key);
	if (pub != 1)
		return;
	proto = ec2_protocol(pv_get(rule, sh->proto_key), &pname);
	if (proto == EC2_P_UNKNOWN) {
		pol_unknown(c, sh->proto_key);
		return;
	}
	if (proto == EC2_P_ICMP)
		return;         /* ICMP (path MTU discovery, ping) carries no service port */
	if (proto == EC2_P_TCP || proto == EC2_P_UDP) {
		rf = pv_get_num(pv_get(rule, "fromPort"), &from);
		rt = pv_get_num(pv_get(rule, "toPort"), &to);
		if (rf == PV_EUNKNOWN || rt == PV_EUNKNOWN) {
			pol_unknown(c, "fromPort");
			return;
		}
		if (rf != PV_OK)
			from = 0;
		if (rt != PV_OK)
			to = 65535;
		/* Clamp to the port range (also NaN and absurd values such as 1e300). */
		if (!(from >= 0))
			from = 0;
		if (from > 65535)
			from = 65535;
		if (!(to <= 65535) || to < from)
			to = 65535;
	}
	if (proto == EC2_P_ALL || proto == EC2_P_OTHER || (from <= 0 && to >= 65535)) {
		what = proto == EC2_P_OTHER ? arena_printf(a, "all traffic of protocol %s",
							   *pname ? pname : "(numbered)") : "all ports";
		pol_report(c, NULL, cpath, "%s allows %s %s on %s: allow only the ports the service needs, "
			   "%s authorized CIDR ranges, security groups or prefix lists.",
			   *base ? base : "The rule", dir, cidr, what ? what : "all ports",
			   egress ? "to" : "from");
		return;
	}
	for (int p = (int)from; p <= (int)to; p++) {
		int listed = pv_kind(allowed) == PV_LIST && ec2_port_in_list(allowed, p);
		if (sensitive < 0 && !egress && !listed && ec2_is_sensitive(sensitive_ports, p))
			sensitive = p;
		if (outside < 0 && !listed)
			outside = p;
		if (sensitive >= 0 || (egress && outside >= 0))
			break;
	}
	if (sensitive < 0 && outside < 0)
		return;
	what = from == to ? arena_printf(a, "%s port %d", pname, (int)from)
			  : arena_printf(a, "%s ports %d-%d", pname, (int)from, (int)to);
	if (sensitive >= 0)
		pol_report(c, NULL, cpath, "%s allows %s %s on %s, which includes sensitive port %d: "
			   "never expose it publicly; allow only a bastion/VPN CIDR or a security group.",
			   *base ? base : "The rule", dir, cidr, what ? what : "", sensitive);
	else if (egress)
		pol_report(c, NULL, cpath, "%s allows %s %s on %s: restrict destinations to the CIDRs, "
			   "prefix lists (VPC endpoints) or security groups the workload needs, or list the "
			   "ports in allowedPublicPorts.", *base ? base : "The rule", dir, cidr,
			   what ? what : "");
	else
		pol_report(c, NULL, cpath, "%s allows %s %s on %s: restrict it to your authorized CIDR "
			   "ranges, a security group (e.g. the load balancer's) or the CloudFront "
			   "origin-facing prefix list (prefixListIds); if public access on this port is "
			   "intended, add it to allowedPublicPorts.", *base ? base : "The rule", dir, cidr,
			   what ? what : "");
}

static void ec2_check_sg(struct pol_ctx *c, const struct pol_resource *r, int egress)
{
	const char *key = egress ? "egress" : "ingress";

	if (strcmp(r->type, EC2_SG) == 0 || strcmp(r->type, EC2_DEFAULT_SG) == 0) {
		const pv_value *list = pv_get(r->props, key), *e;
		if (pv_kind(list) == PV_UNKNOWN) {
			pol_unknown(c, key);
			return;
		}
		PV_LIST_FOREACH(i, e, list) {
			const char *base = arena_printf(pol_arena(c), "%s[%zu]", key, i);
			ec2_judge_rule(c, e, &ec2_shape_classic, base ? base : key, egress);
		}
		return;
	}
	if (strcmp(r->type, EC2_SG_RULE) == 0) {
		const pv_value *t = pv_get(r->props, "type");
		if (pv_kind(t) == PV_UNKNOWN) {
			pol_unknown(c, "type");
			return;
		}
		if (pv_kind(t) != PV_STRING || strcmp(pv_str(t), key) != 0) {
			pol_not_applicable(c, egress ? "Rule is not an egress rule"
						     : "Rule is not an ingress rule");
			return;
		}
		ec2_judge_rule(c, r->props, &ec2_shape_classic, "", egress);
		return;
	}
	ec2_judge_rule(c, r->props, &ec2_shape_vpc, "", egress);
}

static void check_sg_ingress(struct pol_ctx *c, const struct pol_resource *r)
{
	ec2_check_sg(c, r, 0);
}

static void check_sg_egress(struct pol_ctx *c, const struct pol_resource *r)
{
	ec2_check_sg(c, r, 1);
}

/* ---- the table --------------------------------------------------------------- */

static const struct pol_doc doc_az = {
	.why = "Seed 003 #2: default AZs were built by slicing the region string "
	       "(region[:9] + \"a\"), which yields names such as \"ap-southea\" that do not exist.",
	.fail_ts = "const azs = [region.slice(0, 9) + \"a\", region.slice(0, 9) + \"b\"];\n"
		   "new aws.ec2.Subnet(\"a\", { vpcId: vpc.id, cidrBlock: \"10.0.0.0/24\", availabilityZone: azs[0] });",
	.fixed_ts = "const azs = await aws.getAvailabilityZones({ state: \"available\" });\n"
		    "new aws.ec2.Subnet(\"a\", { vpcId: vpc.id, cidrBlock: \"10.0.0.0/24\", availabilityZone: azs.names[0] });",
	.fail_py = "region_prefix = values['aws_region'][:9]\n"
		   "azs = [f\"{region_prefix}a\", f\"{region_prefix}b\"]",
	.fixed_py = "azs = aws.get_availability_zones(state=\"available\").names",
};

static const struct pol_doc doc_cidrs = {
	.why = "Seed 003 #5: subnet CIDRs were hard-coded (f\"10.0.{i}.0/24\", f\"10.0.{i+100}.0/24\"), "
	       "so they collide with each other or fall outside a parameterised VPC CIDR.",
	.fail_ts = "new aws.ec2.Subnet(`private-${i}`, { vpcId: vpc.id, cidrBlock: `10.0.${i + 100}.0/24` });",
	.fixed_ts = "// derive from the VPC CIDR, one non-overlapping block per tier and AZ\n"
		    "new aws.ec2.Subnet(`private-${i}`, { vpcId: vpc.id, cidrBlock: subnetCidr(vpcCidr, 8, 16 + i) });",
	.fail_py = "aws.ec2.Subnet(f\"private-{i}\", vpc_id=vpc.id, cidr_block=f\"10.0.{i+100}.0/24\")",
	.fixed_py = "net = ipaddress.ip_network(vpc_cidr)\n"
		    "blocks = list(net.subnets(new_prefix=24))\n"
		    "aws.ec2.Subnet(f\"private-{i}\", vpc_id=vpc.id, cidr_block=str(blocks[16 + i]))",
};

static const struct pol_doc doc_multi_az = {
	.why = "A VPC whose subnets share one AZ loses every workload when that AZ fails.",
	.fail_ts = "new aws.ec2.Subnet(\"a\", { vpcId: vpc.id, cidrBlock: \"10.0.0.0/24\", availabilityZone: \"us-east-1a\" });\n"
		   "new aws.ec2.Subnet(\"b\", { vpcId: vpc.id, cidrBlock: \"10.0.1.0/24\", availabilityZone: \"us-east-1a\" });",
	.fixed_ts = "azs.names.slice(0, 2).forEach((az, i) => new aws.ec2.Subnet(`s${i}`, { vpcId: vpc.id,\n"
		    "  cidrBlock: `10.0.${i}.0/24`, availabilityZone: az }));",
	.fail_py = "for i in range(2):\n    aws.ec2.Subnet(f\"s{i}\", vpc_id=vpc.id, cidr_block=f\"10.0.{i}.0/24\", availability_zone=\"us-east-1a\")",
	.fixed_py = "for i, az in enumerate(azs[:2]):\n    aws.ec2.Subnet(f\"s{i}\", vpc_id=vpc.id, cidr_block=f\"10.0.{i}.0/24\", availability_zone=az)",
};

static const struct pol_doc doc_ingress = {
	.why = "Seed 003 #6: a web security group opened HTTPS to 0.0.0.0/0 although the requirement "
	       "was access from authorized ranges only. Public ports must be an explicit decision "
	       "(allowedPublicPorts); a public ALB fronted by CloudFront uses the origin-facing prefix list.",
	.fail_ts = "new aws.ec2.SecurityGroup(\"web\", { vpcId: vpc.id, ingress: [{ protocol: \"tcp\",\n"
		   "  fromPort: 443, toPort: 443, cidrBlocks: [\"0.0.0.0/0\"] }] });",
	.fixed_ts = "const cf = aws.ec2.getManagedPrefixListOutput({ name: \"com.amazonaws.global.cloudfront.origin-facing\" });\n"
		    "new aws.ec2.SecurityGroup(\"web\", { vpcId: vpc.id, ingress: [{ protocol: \"tcp\",\n"
		    "  fromPort: 443, toPort: 443, prefixListIds: [cf.id] }] });",
	.fail_py = "aws.ec2.SecurityGroup(\"web\", ingress=[aws.ec2.SecurityGroupIngressArgs(\n"
		   "    protocol=\"tcp\", from_port=443, to_port=443, cidr_blocks=[\"0.0.0.0/0\"])])",
	.fixed_py = "aws.ec2.SecurityGroup(\"web\", ingress=[aws.ec2.SecurityGroupIngressArgs(\n"
		    "    protocol=\"tcp\", from_port=443, to_port=443, cidr_blocks=[config.require(\"officeCidr\")])])",
};

static const struct pol_doc doc_egress = {
	.why = "Unrestricted egress lets a compromised workload exfiltrate data anywhere (Trivy AWS-0104).",
	.fail_ts = "egress: [{ protocol: \"-1\", fromPort: 0, toPort: 0, cidrBlocks: [\"0.0.0.0/0\"] }]",
	.fixed_ts = "egress: [{ protocol: \"tcp\", fromPort: 443, toPort: 443, cidrBlocks: [vpc.cidrBlock] }]",
	.fail_py = "egress=[{\"protocol\": \"-1\", \"from_port\": 0, \"to_port\": 0, \"cidr_blocks\": [\"0.0.0.0/0\"]}]",
	.fixed_py = "egress=[{\"protocol\": \"tcp\", \"from_port\": 443, \"to_port\": 443, \"cidr_blocks\": [vpc.cidr_block]}]",
};

#define EC2_SG_SCHEMA(ports_desc) \
	"{\"allowedPublicPorts\":{\"type\":\"array\",\"items\":{\"type\":[\"integer\",\"string\"]}," \
	"\"default\":[],\"description\":\"" ports_desc "\"}," \
	"\"minPrefixLength\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":32,\"default\":0," \
	"\"description\":\"IPv4 blocks shorter than this prefix count as public too (0 = only " \
	"0.0.0.0/0; IPv6 ::/0 is always public).\"}," \
	"\"sensitivePorts\":{\"type\":\"array\",\"items\":{\"type\":[\"integer\",\"string\"]}," \
	"\"default\":[20,21,22,23,25,110,135,139,143,445,1433,1521,2049,2375,2376,3306,3389,5432," \
	"5601,5900,6379,9200,9300,11211,27017],\"description\":\"Ports that are never public " \
	"unless listed in allowedPublicPorts.\"}}"

static const struct policy policies[] = {
	{
		.name = "availability-zone-valid",
		.display_name = "Availability Zones are real zones of the resource's region",
		.description = "Availability Zone names must be the resource's region followed by a zone "
			       "letter, and AZ IDs must belong to that region.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(EC2_SUBNET, "aws:ebs/volume:Volume", "aws:ec2/instance:Instance",
				   "aws:rds/instance:Instance", "aws:rds/cluster:Cluster",
				   "aws:autoscaling/group:Group", "aws:efs/fileSystem:FileSystem",
				   "aws:elb/loadBalancer:LoadBalancer",
				   "aws:ec2/capacityReservation:CapacityReservation"),
		.config_schema = "{\"allowLocalZones\":{\"type\":\"boolean\",\"default\":false,"
				 "\"description\":\"Accept Local Zones (us-west-2-lax-1a) and Wavelength "
				 "Zones (us-east-1-wl1-bos-wlz-1).\"},"
				 "\"allowedAzLetters\":{\"type\":\"object\",\"default\":{},"
				 "\"description\":\"Zone letters per region, e.g. {\\\"ap-northeast-1\\\": "
				 "\\\"acd\\\"}; regions not listed accept a-f.\"},"
				 "\"knownAzs\":{\"type\":\"object\",\"default\":{},"
				 "\"description\":\"Exact AZ names per region, e.g. {\\\"us-east-1\\\": "
				 "[\\\"us-east-1a\\\", \\\"us-east-1b\\\"]}; regions not listed are not "
				 "restricted.\"}}",
		.remediation_steps = "Take AZ names from aws.getAvailabilityZones() for the provider's "
				     "region (or accept them as explicit config); never build them by "
				     "slicing the region string.",
		.tags = "ec2,networking,availability-zones",
		.url = "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html",
		.check = check_az_valid,
		.doc = &doc_az,
	},
	{
		.name = "vpc-subnet-cidrs-valid",
		.display_name = "Subnet CIDRs fit their VPC and do not overlap",
		.description = "VPC and subnet CIDR blocks must be valid /16-/28 network addresses, and each "
			       "VPC's subnets must lie inside it without overlapping.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(EC2_VPC, EC2_VPC_CIDR_ASSOC, EC2_SUBNET),
		.remediation_steps = "Derive subnet CIDRs from the VPC CIDR (one non-overlapping block per "
				     "tier and AZ) instead of hard-coding \"10.0.{i}.0/24\" patterns.",
		.tags = "ec2,vpc,networking",
		.url = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
		.check_stack = check_vpc_subnet_cidrs,
		.doc = &doc_cidrs,
	},
	{
		.name = "vpc-subnets-multi-az",
		.display_name = "VPC subnets span several Availability Zones",
		.description = "The subnets of a VPC should be spread over at least minAzs Availability Zones.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_MEDIUM,
		.types = POL_TYPES(EC2_VPC, EC2_SUBNET),
		.config_schema = "{\"minAzs\":{\"type\":\"integer\",\"minimum\":1,\"default\":2,"
				 "\"description\":\"Fewest distinct Availability Zones a VPC's subnets must use.\"}}",
		.remediation_steps = "Create one subnet per tier in each of at least two AZs.",
		.tags = "ec2,vpc,resilience",
		.url = "https://docs.aws.amazon.com/whitepapers/latest/real-time-communication-on-aws/high-availability-and-scalability-on-aws.html",
		.check_stack = check_subnets_multi_az,
		.doc = &doc_multi_az,
	},
	{
		.name = "security-group-no-public-ingress",
		.display_name = "Security groups do not accept traffic from the whole internet",
		.description = "Security group ingress from 0.0.0.0/0 or ::/0 is allowed only on ports listed "
			       "in allowedPublicPorts, never on all ports or sensitive ports.",
		.level = POL_MANDATORY,
		.severity = POL_SEV_HIGH,
		.types = POL_TYPES(EC2_SG, EC2_DEFAULT_SG, EC2_SG_RULE, VPC_SG_INGRESS),
		.config_schema = EC2_SG_SCHEMA("Ports (or \\\"from-to\\\" ranges) that may be open to "
					       "0.0.0.0/0 and ::/0, e.g. [80, 443] for a public load balancer. "
					       "Empty by default: public exposure must be an explicit decision."),
		.remediation_steps = "Restrict cidrBlocks/ipv6CidrBlocks to authorized ranges, reference "
				     "security groups or the CloudFront origin-facing prefix list, or list "
				     "intentionally public ports in allowedPublicPorts.",
		.tags = "ec2,security-groups,network-exposure",
		.url = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
		.check = check_sg_ingress,
		.doc = &doc_ingress,
	},
	{
		.name = "security-group-no-public-egress",
		.display_name = "Security groups do not send traffic to the whole internet",
		.description = "Security group egress to 0.0.0.0/0 or ::/0 should be limited to ports listed "
			       "in allowedPublicPorts.",
		.level = POL_ADVISORY,
		.severity = POL_SEV_LOW,
		.types = POL_TYPES(EC2_SG, EC2_DEFAULT_SG, EC2_SG_RULE, VPC_SG_EGRESS),
		.config_schema = EC2_SG_SCHEMA("Ports (or \\\"from-to\\\" ranges) that may reach 0.0.0.0/0 "
					       "and ::/0, e.g. [443]."),
		.remediation_steps = "Restrict egress to the CIDRs, prefix lists (VPC endpoints) or security "
				     "groups the workload talks to.",
		.tags = "ec2,security-groups,network-exposure",
		.url = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
		.check = check_sg_egress,
		.doc = &doc_egress,
	},
};

const struct pol_family pol_family_ec2 = { "ec2", policies, sizeof(policies) / sizeof(policies[0]) };
