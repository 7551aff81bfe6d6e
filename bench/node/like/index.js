// Contender 3 of the benchmarks: ten policies of the C pack (same names, same checks, same
// defaults) written the way a Pulumi user writes a policy pack with @pulumi/policy. Only the
// speed is compared; messages are shorter than the C pack's.
//
// Resource classes are stood in by objects carrying `__pulumiType` (what validateResourceOfType
// reads from @pulumi/aws classes): same SDK fast path, without loading @pulumi/aws, which only
// makes this contender start faster than a real pack would.
"use strict";
const { PolicyPack, validateResourceOfType } = require("@pulumi/policy");

const T = (t) => ({ __pulumiType: t, isInstance: () => false });

// A policy over several types as one function (one deserialisation per request, as a careful
// author would write it; an array of validateResourceOfType deserialises once per element).
const ofTypes = (classes, fn) => {
    const types = new Set(classes.map((c) => c.__pulumiType));
    return (args, report) => (types.has(args.type) ? fn(args.props, args, report) : undefined);
};
const Fn = T("aws:lambda/function:Function");
const Role = T("aws:iam/role:Role");
const Policy = T("aws:iam/policy:Policy");
const RolePolicy = T("aws:iam/rolePolicy:RolePolicy");
const UserPolicy = T("aws:iam/userPolicy:UserPolicy");
const GroupPolicy = T("aws:iam/groupPolicy:GroupPolicy");
const Table = T("aws:dynamodb/table:Table");
const TableReplica = T("aws:dynamodb/tableReplica:TableReplica");
const Bucket = T("aws:s3/bucket:Bucket");
const BucketV2 = T("aws:s3/bucketV2:BucketV2");
const SG = T("aws:ec2/securityGroup:SecurityGroup");
const DefaultSG = T("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
const SGRule = T("aws:ec2/securityGroupRule:SecurityGroupRule");
const SGIngress = T("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
const MetricAlarm = T("aws:cloudwatch/metricAlarm:MetricAlarm");
const CompositeAlarm = T("aws:cloudwatch/compositeAlarm:CompositeAlarm");

// ---- shared helpers ---------------------------------------------------------------------

const REGIONS = new Set(("af-south-1 ap-east-1 ap-east-2 ap-northeast-1 ap-northeast-2 ap-northeast-3 " +
    "ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5 " +
    "ap-southeast-6 ap-southeast-7 ca-central-1 ca-west-1 cn-north-1 cn-northwest-1 eu-central-1 " +
    "eu-central-2 eu-isoe-west-1 eu-north-1 eu-south-1 eu-south-2 eu-west-1 eu-west-2 eu-west-3 " +
    "eusc-de-east-1 il-central-1 me-central-1 me-south-1 me-west-1 mx-central-1 sa-east-1 sa-west-1 " +
    "us-east-1 us-east-2 us-gov-east-1 us-gov-west-1 us-iso-east-1 us-iso-west-1 us-isob-east-1 " +
    "us-isob-west-1 us-isof-east-1 us-isof-south-1 us-west-1 us-west-2").split(" "));
const REGION_RE = /^(us-isob|us-isof|eu-isoe|eusc-de|us-gov|us-iso|us|eu|ap|sa|ca|me|af|il|mx|cn)-[a-z]+-\d+/;
const AZ_SUFFIX_RE = /^(-?[a-z]|-[a-z]{3}-\d+[a-z]|-wl1-[a-z]{3}-wlz-\d+)$/;
const AZ_ID_RE = /^[a-z]{3,5}\d+(-[a-z]{3}\d+)?-az\d+$/;

function regionStatus(r) {
    if (typeof r !== "string" || r === "") return "malformed";
    const m = REGION_RE.exec(r);
    if (m && m[0].length === r.length) return REGIONS.has(r) ? "known" : "well-formed";
    if (m && AZ_SUFFIX_RE.test(r.slice(m[0].length))) return "az";
    if (AZ_ID_RE.test(r)) return "az";
    return "malformed";
}

// Effective region: v7 per-resource `region`, else the provider's `region`.
function regionOf(props, args) {
    if (typeof props.region === "string") return props.region;
    const p = args.provider && args.provider.props;
    return p && typeof p.region === "string" ? p.region : undefined;
}

function parseArn(s) {
    if (typeof s !== "string" || !s.startsWith("arn:")) return undefined;
    const parts = s.split(":");
    if (parts.length < 6 || !parts[1].startsWith("aws")) return undefined;
    return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(":") };
}

const PLACEHOLDER_ACCOUNTS = new Set(["123456789012", "111122223333", "444455556666", "777788889999", "012345678901"]);
const isPlaceholderAccount = (a) => PLACEHOLDER_ACCOUNTS.has(a) || /^(\d)\1{11}$/.test(a);

// IAM policy documents arrive as JSON text or as objects.
function parseDoc(v) {
    if (typeof v === "string") {
        try { return JSON.parse(v); } catch (e) { return undefined; }
    }
    return v && typeof v === "object" ? v : undefined;
}
const asList = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
function statements(doc) {
    if (!doc || typeof doc !== "object") return [];
    return asList(doc.Statement).filter((s) => s && typeof s === "object");
}

// Identity documents a resource carries: [path, document value].
function identityDocs(type, props) {
    const out = [];
    if (type === "aws:iam/role:Role") {
        asList(props.inlinePolicies).forEach((p, i) => p && p.policy !== undefined && out.push([`inlinePolicies[${i}].policy`, p.policy]));
    } else if (props.policy !== undefined) {
        out.push(["policy", props.policy]);
    }
    return out;
}


// ---- the ten policies ---------------------------------------------------------------------

// Lambda runtime table (end of support; same data and as-of date as policies/data/lambda_runtimes.c).
const RUNTIMES_AS_OF = "2026-11-23";
const RUNTIMES = {
    "python3.14": "2029-06-30", "python3.13": "2029-06-30", "python3.12": "2028-10-31", "python3.11": "2027-06-30",
    "python3.10": "2026-10-31", "python3.9": "2025-12-15", "python3.8": "2024-10-14", "python3.7": "2023-12-04",
    "python3.6": "2022-07-18", "python2.7": "2021-07-15", "nodejs24.x": "2028-04-30", "nodejs22.x": "2027-04-30",
    "nodejs20.x": "2026-04-30", "nodejs18.x": "2025-09-01", "nodejs16.x": "2024-06-12", "nodejs14.x": "2023-12-04",
    "nodejs12.x": "2023-03-31", "nodejs10.x": "2021-07-30", "nodejs8.10": "2020-03-06", "nodejs6.10": "2019-08-12",
    "nodejs4.3": "2020-03-05", "nodejs4.3-edge": "2020-03-05", "nodejs": "2016-08-30", "java25": "2029-06-30",
    "java21": "2029-06-30", "java17": "2027-06-30", "java11": "2027-06-30", "java8.al2": "2027-06-30",
    "java8": "2024-01-08", "dotnet10": "2028-11-14", "dotnet9": "2026-11-10", "dotnet8": "2026-11-10",
    "dotnet7": "2024-05-14", "dotnet6": "2024-12-20", "dotnet5.0": "2022-05-10", "dotnetcore3.1": "2023-04-03",
    "dotnetcore2.1": "2022-01-05", "dotnetcore2.0": "2019-05-30", "dotnetcore1.0": "2019-06-27",
    "ruby4.0": "2029-03-31", "ruby3.4": "2028-03-31", "ruby3.3": "2027-03-31", "ruby3.2": "2026-03-31",
    "ruby2.7": "2023-12-07", "ruby2.5": "2021-07-30", "provided.al2023": "2029-06-30", "provided.al2": "2026-07-31",
    "provided": "2024-01-08", "go1.x": "2024-01-08",
};
const MIN_VERSIONS = { python: "3.11", nodejs: "22", java: "17", dotnet: "10", ruby: "3.3", provided: "al2023" };

function splitRuntime(rt) {
    const m = /^([a-z]*)\.?(.*)$/.exec(rt);
    let family = m[1], version = m[2];
    if (family === "dotnetcore") family = "dotnet";
    if (version.endsWith(".x")) version = version.slice(0, -2);
    return [family, version];
}
const FAMILIES = new Set(Object.keys(RUNTIMES).map((r) => splitRuntime(r)[0]));

function versionCmp(a, b) {
    const re = /(\d+)|(\D)/g;
    const x = a.match(re) || [], y = b.match(re) || [];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
        if (x[i] === y[i]) continue;
        const nx = Number(x[i]), ny = Number(y[i]);
        if (!isNaN(nx) && !isNaN(ny)) return nx < ny ? -1 : 1;
        return x[i] < y[i] ? -1 : 1;
    }
    return x.length - y.length;
}

const glob = (pattern, s) => new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$").test(s);

const lambdaRuntimeSupported = {
    name: "lambda-runtime-supported",
    description: "Lambda functions must use a supported runtime.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        asOfDate: { type: "string", default: "" },
        minimumVersions: { type: "object", default: MIN_VERSIONS },
        allowedRuntimes: { type: "array", items: { type: "string" }, default: [] },
    } },
    validateResource: validateResourceOfType(Fn, (fn, args, report) => {
        if (fn.packageType === "Image") return;
        const rt = fn.runtime;
        if (typeof rt !== "string" || rt === "") return;
        const cfg = args.getConfig();
        const asOf = cfg.asOfDate === "today" ? new Date().toISOString().slice(0, 10) : (cfg.asOfDate || RUNTIMES_AS_OF);
        const [family, version] = splitRuntime(rt);
        if (cfg.allowedRuntimes.length && !cfg.allowedRuntimes.some((g) => glob(g, rt))) {
            return report(`runtime is "${rt}", which is not in allowedRuntimes.`);
        }
        const eos = RUNTIMES[rt];
        if (eos && eos <= asOf) return report(`runtime is "${rt}", which reached end of support on ${eos}.`);
        const min = (cfg.minimumVersions || {})[family];
        if (typeof min === "string" && versionCmp(version, min) < 0) {
            return report(`runtime is "${rt}", older than the minimum ${family} ${min}.`);
        }
        if (!eos && !FAMILIES.has(family)) report(`runtime is "${rt}", which is not a Lambda runtime.`);
    }),
};

const lambdaXray = {
    name: "lambda-xray-tracing-active",
    description: "Lambda functions must have X-Ray active tracing.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowPassThrough: { type: "boolean", default: false } } },
    validateResource: validateResourceOfType(Fn, (fn, args, report) => {
        const tc = fn.tracingConfig;
        const mode = tc && typeof tc === "object" ? tc.mode : undefined;
        if (mode === "Active" || (mode === "PassThrough" && args.getConfig().allowPassThrough)) return;
        if (typeof mode === "string") report(`tracingConfig.mode is "${mode}": set tracingConfig: { mode: "Active" }.`);
        else report("tracingConfig is not set, so X-Ray tracing is off: set tracingConfig: { mode: \"Active\" }.");
    }),
};

const idTypes = [Role, Policy, RolePolicy, UserPolicy, GroupPolicy];
const hasWild = (s) => s.includes("*") || s.includes("?");
const judgeable = (s) => !markerIn(s);

const iamNoWildcardActions = {
    name: "iam-no-wildcard-actions",
    description: "IAM policies must not allow wildcard actions.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        allowedServiceWildcards: { type: "array", items: { type: "string" }, default: [] },
        flagPartialWildcards: { type: "boolean", default: false },
        checkResourcePolicies: { type: "boolean", default: false },
    } },
    validateResource: ofTypes(idTypes, (props, args, report) => {
        const cfg = args.getConfig();
        const allowedSvc = (a) => {
            const i = a.indexOf(":");
            return i > 0 && a !== "*:*" && cfg.allowedServiceWildcards.some((s) =>
                s.toLowerCase() === a.slice(0, i).toLowerCase() || s.toLowerCase() === a.toLowerCase());
        };
        for (const [path, v] of identityDocs(args.type, props)) {
            statements(parseDoc(v)).forEach((st, i) => {
                if (st.Effect !== "Allow") return;
                if (st.NotAction !== undefined) return report(`${path} Statement[${i}] uses NotAction with Effect "Allow": list the actions instead.`);
                const wild = [];
                for (const a of asList(st.Action)) {
                    if (typeof a !== "string") continue;
                    if (a === "*" || a === "*:*") wild.push(a);
                    else if (/^[A-Za-z0-9-]+:\*$/.test(a)) { if (!allowedSvc(a)) wild.push(a); }
                    else if (cfg.flagPartialWildcards && hasWild(a) && !allowedSvc(a)) wild.push(a);
                }
                if (wild.length) report(`${path} Statement[${i}] allows ${wild.map((w) => `"${w}"`).join(", ")}: list only the actions the workload calls.`);
            });
        }
    }),
};

const STAR_OK = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
    "xray:GetSamplingTargets", "cloudwatch:PutMetricData", "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses", "sts:GetCallerIdentity"];

function logsSafe(res) {
    const m = /^log-group:([^:]*)(?::(.*))?$/.exec(res);
    if (!m || !m[1] || hasWild(m[1])) return false;
    return m[2] === undefined || m[2] === "*" || m[2].startsWith("log-stream:");
}
function secretSafe(res) {
    if (!res.startsWith("secret:") || res.length < 8) return false;
    const name = res.slice(7), w = name.search(/[*?]/);
    if (w < 0) return true;
    if (w < 2 || name[w - 1] !== "-") return false;
    return name.slice(w) === "??????" || name.slice(w) === "*";
}
function dynamodbSafe(res) {
    const m = /^table\/([^/]+)\/(index|stream|backup|export|import)\/./.exec(res);
    return !!m && !hasWild(m[1]);
}
function genericSafe(res) {
    const segs = res.split(/[/:]/);
    let named = 0;
    for (let i = 0; i < segs.length; i++) {
        if (hasWild(segs[i])) return i === segs.length - 1 && segs[i] === "*" && named >= 2;
        if (segs[i]) named++;
    }
    return true;
}
function arnProblem(res) {
    if (!hasWild(res)) return undefined;
    const a = parseArn(res);
    if (!a) return "is a wildcard pattern rather than an ARN";
    if (hasWild(a.service)) return "matches every service";
    const why = [];
    if (hasWild(a.region)) why.push("any region");
    if (hasWild(a.account)) why.push("any account");
    if (hasWild(a.resource)) {
        let safe;
        const slash = a.resource.indexOf("/");
        if (a.service === "s3") safe = slash > 0 && !hasWild(a.resource.slice(0, slash));
        else if (a.service === "logs") safe = logsSafe(a.resource);
        else if (a.service === "secretsmanager") safe = secretSafe(a.resource);
        else if (a.service === "dynamodb") safe = dynamodbSafe(a.resource);
        else if (a.service === "execute-api") safe = slash > 0 && !hasWild(a.resource.slice(0, slash));
        else safe = genericSafe(a.resource);
        if (!safe) why.push("any resource name the pattern matches");
    }
    return why.length ? `covers ${why.join(", ")}` : undefined;
}

const iamNoWildcardResources = {
    name: "iam-no-wildcard-resources",
    description: "IAM policies must not allow actions on wildcard resources.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        starResourceAllowedActions: { type: "array", items: { type: "string" }, default: STAR_OK },
        allowedResourcePatterns: { type: "array", items: { type: "string" }, default: [] },
    } },
    validateResource: ofTypes(idTypes, (props, args, report) => {
        const cfg = args.getConfig();
        const starOk = new Set(cfg.starResourceAllowedActions.map((s) => s.toLowerCase()));
        for (const [path, v] of identityDocs(args.type, props)) {
            statements(parseDoc(v)).forEach((st, i) => {
                if (st.Effect !== "Allow") return;
                if (st.NotResource !== undefined) return report(`${path} Statement[${i}] uses NotResource with Effect "Allow": list the ARNs.`);
                const actions = asList(st.Action);
                for (const res of asList(st.Resource)) {
                    if (typeof res !== "string" || !judgeable(res) || cfg.allowedResourcePatterns.some((g) => glob(g, res))) continue;
                    if (res === "*") {
                        const onlyStar = st.NotAction === undefined && actions.length > 0 &&
                            actions.every((a) => typeof a === "string" && starOk.has(a.toLowerCase()));
                        if (!onlyStar) report(`${path} Statement[${i}] grants its actions on Resource "*": name the resources.`);
                        continue;
                    }
                    const why = arnProblem(res);
                    if (why) report(`${path} Statement[${i}] Resource "${res}" ${why}: use the exact ARN.`);
                }
            });
        }
    }),
};

function kmsKeyProblem(path, arn, region, what) {
    const a = parseArn(arn);
    if (!a || a.service !== "kms") return `${path} is not a KMS key ARN: pass the key's arn.`;
    if (a.region && region && a.region !== region) return `${path} is a KMS key in ${a.region}, but ${what} is in ${region}.`;
    return undefined;
}

const dynamoSse = {
    name: "dynamodb-sse-explicitly-enabled",
    description: "DynamoDB tables must enable server-side encryption explicitly.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireCustomerManagedKey: { type: "boolean", default: false } } },
    validateResource: ofTypes([Table, TableReplica], (t, args, report) => {
        const cfg = args.getConfig();
        const region = regionOf(t, args);
        const check = (path, key, reg, what) => { const p = kmsKeyProblem(path, key, reg, what); if (p) report(p); };
        if (args.type === TableReplica.__pulumiType) {
            if (typeof t.kmsKeyArn === "string" && t.kmsKeyArn) check("kmsKeyArn", t.kmsKeyArn, region, "the replica");
            else if (cfg.requireCustomerManagedKey) report("kmsKeyArn is not set: use a customer-managed key.");
            return;
        }
        const sse = t.serverSideEncryption;
        let enabled = false, cmk = false;
        if (sse === undefined || sse === null) {
            report("serverSideEncryption is not set: set serverSideEncryption: { enabled: true }.");
        } else if (sse.enabled !== true) {
            report(`serverSideEncryption.enabled is ${sse.enabled === false ? "false" : "not set"}: set it to true.`);
        } else {
            enabled = true;
            let key;
            try { key = sse.kmsKeyArn; } catch (e) { cmk = true; } // unknown in preview: a key is coming
            if (typeof key === "string" && key) {
                cmk = true;
                check("serverSideEncryption.kmsKeyArn", key, region, "the table");
            } else if (!cmk && cfg.requireCustomerManagedKey) {
                report("serverSideEncryption has no kmsKeyArn: use a customer-managed key.");
            }
        }
        asList(t.replicas).forEach((rep, i) => {
            if (!rep || typeof rep !== "object") return;
            const path = `replicas[${i}].kmsKeyArn`;
            if (typeof rep.kmsKeyArn === "string" && rep.kmsKeyArn) check(path, rep.kmsKeyArn, rep.regionName, "the replica");
            else if (enabled && (cmk || cfg.requireCustomerManagedKey)) report(`replica ${i} has no kmsKeyArn while the table uses a customer-managed key.`);
        });
    }),
};

const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

function bucketNameProblem(n, forbidDots) {
    if (n.length < 3 || n.length > 63) return `is ${n.length} characters long; bucket names must be 3-63 characters`;
    if (!/^[a-z0-9.-]*$/.test(n)) return "contains characters other than lowercase letters, digits, '.' and '-'";
    if (!/^[a-z0-9]/.test(n) || !/[a-z0-9]$/.test(n)) return "must begin and end with a lowercase letter or digit";
    if (n.includes("..")) return "contains two adjacent periods";
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(n)) return "is formatted as an IP address";
    if (S3_RESERVED_PREFIXES.some((p) => n.startsWith(p))) return "starts with a reserved prefix";
    if (S3_RESERVED_SUFFIXES.some((s) => n.endsWith(s))) return "ends with a reserved suffix";
    if (forbidDots && n.includes(".")) return "contains '.'";
    return undefined;
}

const s3BucketName = {
    name: "s3-bucket-name-valid",
    description: "S3 bucket names and prefixes must follow the AWS naming rules.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { forbidDots: { type: "boolean", default: false } } },
    validateResource: ofTypes([Bucket, BucketV2], (b, args, report) => {
        const forbidDots = args.getConfig().forbidDots;
        if (typeof b.bucket === "string") {
            const why = bucketNameProblem(b.bucket, forbidDots);
            if (why) report(`bucket "${b.bucket}" ${why}: fix \`bucket\`.`);
        }
        if (typeof b.bucketPrefix === "string") {
            const p = b.bucketPrefix;
            if (p.length > 37) report(`bucketPrefix is ${p.length} characters long; at most 37.`);
            else if (!/^[a-z0-9.-]*$/.test(p) || (p && !/^[a-z0-9]/.test(p)) || p.includes("..") ||
                S3_RESERVED_PREFIXES.some((x) => p.startsWith(x)) || (forbidDots && p.includes("."))) {
                report(`bucketPrefix "${p}" cannot start a valid bucket name.`);
            }
        }
        if (b.bucketNamespace === "account-regional" && typeof b.bucket === "string") {
            const m = /-(\d{12})-(.+)-an$/.exec(b.bucket);
            const region = regionOf(b, args);
            if (!m || !["known", "well-formed"].includes(regionStatus(m[2]))) report(`bucket "${b.bucket}" lacks the "-<account-id>-<region>-an" suffix.`);
            else if (region && m[2] !== region) report(`bucket "${b.bucket}" carries region "${m[2]}" but is created in ${region}.`);
        }
    }),
};

const SENSITIVE_PORTS = [20, 21, 22, 23, 25, 110, 135, 139, 143, 445, 1433, 1521, 2049, 2375, 2376, 3306, 3389,
    5432, 5601, 5900, 6379, 9200, 9300, 11211, 27017];

function protocolOf(p) {
    if (p === undefined || p === null) return ["tcp", "tcp"];
    if (typeof p === "number") return p === -1 ? ["all", ""] : p === 6 ? ["tcp", "tcp"] : p === 17 ? ["udp", "udp"] : p === 1 || p === 58 ? ["icmp", ""] : ["other", ""];
    if (typeof p !== "string") return ["other", ""];
    const l = p.toLowerCase();
    if (l === "-1" || l === "all") return ["all", p];
    if (l === "tcp" || l === "6") return ["tcp", p];
    if (l === "udp" || l === "17") return ["udp", p];
    if (l === "icmp" || l === "icmpv6" || l === "1" || l === "58") return ["icmp", p];
    return ["other", p];
}

function portListed(list, port) {
    return asList(list).some((e) => {
        if (typeof e === "number") return e === port;
        if (typeof e !== "string") return false;
        const m = /^(\d+)(?:-(\d+))?$/.exec(e);
        return !!m && Number(m[1]) <= port && port <= Number(m[2] || m[1]);
    });
}

function publicCidr(c, minPrefix) {
    const m = typeof c === "string" && /^([0-9a-fA-F:.]+)\/(\d+)$/.exec(c);
    if (!m) return false;
    const len = Number(m[2]);
    return len === 0 || (m[1].includes(".") && len < minPrefix);
}

function judgeIngress(base, rule, protoKey, cidrs, cfg, report) {
    const cidr = cidrs.find((c) => publicCidr(c, cfg.minPrefixLength));
    if (!cidr) return;
    const [proto, pname] = protocolOf(rule[protoKey]);
    if (proto === "icmp") return;
    let from = 0, to = 65535;
    if (proto === "tcp" || proto === "udp") {
        from = typeof rule.fromPort === "number" ? Math.max(0, rule.fromPort) : 0;
        to = typeof rule.toPort === "number" ? rule.toPort : 65535;
        if (to > 65535 || to < from) to = 65535;
    }
    const who = base || "The rule";
    if (proto === "all" || proto === "other" || (from <= 0 && to >= 65535)) {
        return report(`${who} allows ingress from ${cidr} on all ports: allow only the ports the service needs.`);
    }
    let sensitive = -1, outside = -1;
    for (let p = from; p <= to; p++) {
        const listed = portListed(cfg.allowedPublicPorts, p);
        if (sensitive < 0 && !listed && (Array.isArray(cfg.sensitivePorts) ? portListed(cfg.sensitivePorts, p) : SENSITIVE_PORTS.includes(p))) sensitive = p;
        if (outside < 0 && !listed) outside = p;
        if (sensitive >= 0) break;
    }
    const what = from === to ? `${pname} port ${from}` : `${pname} ports ${from}-${to}`;
    if (sensitive >= 0) report(`${who} allows ingress from ${cidr} on ${what}, which includes sensitive port ${sensitive}.`);
    else if (outside >= 0) report(`${who} allows ingress from ${cidr} on ${what}: restrict it or add the port to allowedPublicPorts.`);
}

const sgNoPublicIngress = {
    name: "security-group-no-public-ingress",
    description: "Security groups must not allow ingress from the whole internet.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        allowedPublicPorts: { type: "array", default: [] },
        minPrefixLength: { type: "number", default: 0 },
        sensitivePorts: { type: "array", default: SENSITIVE_PORTS },
    } },
    validateResource: ofTypes([SG, DefaultSG, SGRule, SGIngress], (r, args, report) => {
        const cfg = args.getConfig();
        if (args.type === SGIngress.__pulumiType) {
            judgeIngress("", r, "ipProtocol", [r.cidrIpv4, r.cidrIpv6], cfg, report);
        } else if (args.type === SGRule.__pulumiType) {
            if (r.type === "ingress") judgeIngress("", r, "protocol", [...asList(r.cidrBlocks), ...asList(r.ipv6CidrBlocks)], cfg, report);
        } else {
            asList(r.ingress).forEach((x, i) => {
                if (x && typeof x === "object") {
                    judgeIngress(`ingress[${i}]`, x, "protocol", [...asList(x.cidrBlocks), ...asList(x.ipv6CidrBlocks)], cfg, report);
                }
            });
        }
    }),
};

// A stack policy, as in the C pack: alarms whose actions are unknown in preview are judged by
// the resources the actions come from (propertyDependencies), and an alarm without actions is fine
// when a composite alarm of the stack notifies for it.
const ACTION_TYPES = { "aws:sns/topic:Topic": "sns", "aws:lambda/function:Function": "lambda",
    "aws:lambda/alias:Alias": "lambda", "aws:autoscaling/policy:Policy": "autoscaling",
    "aws:ssmincidents/responsePlan:ResponsePlan": "ssm-incidents" };
const ACTION_LISTS = ["alarmActions", "okActions", "insufficientDataActions"];
const tryGet = (o, k) => { try { return o[k]; } catch (e) { return UNKNOWN; } };
const UNKNOWN = Symbol("unknown");
const resRegion = (r) => {
    const own = tryGet(r.props, "region");
    if (typeof own === "string") return own;
    const p = r.provider && r.provider.props;
    const pr = p ? tryGet(p, "region") : undefined;
    return typeof pr === "string" ? pr : undefined;
};

function compositeChild(alarm, resources) {
    const name = tryGet(alarm.props, alarm.type === MetricAlarm.__pulumiType ? "name" : "alarmName");
    let maybe = false;
    for (const comp of resources) {
        if (comp.type !== CompositeAlarm.__pulumiType || comp === alarm) continue;
        const deps = (comp.propertyDependencies || {}).alarmRule || [];
        if (deps.some((d) => d.urn === alarm.urn)) return 1;
        const rule = tryGet(comp.props, "alarmRule");
        if (rule === UNKNOWN && deps.length === 0) maybe = true;
        if (typeof rule !== "string" || typeof name !== "string" || !name) continue;
        if ([`(${name})`, `("${name}")`, `('${name}')`, `:alarm:${name})`, `:alarm:${name}")`].some((f) => rule.includes(f))) return 1;
    }
    return maybe ? -1 : 0;
}

function checkAlarm(al, resources, cfg, report) {
    const p = al.props;
    const region = resRegion(al);
    if (tryGet(p, "actionsEnabled") === false) report(`alarm ${al.name} has actionsEnabled: false: remove it or set it to true.`, al.urn);
    const aa = tryGet(p, "alarmActions");
    if (aa !== UNKNOWN && (!Array.isArray(aa) || aa.length === 0) && compositeChild(al, resources) === 0) {
        report(`alarm ${al.name} has ${Array.isArray(aa) ? "empty" : "no"} alarmActions: set alarmActions: [topic.arn].`, al.urn);
    }
    if (cfg.requireOkActions) {
        const ok = tryGet(p, "okActions");
        if (ok !== UNKNOWN && asList(ok).length === 0 && Array.isArray(aa) && aa.length > 0) report(`alarm ${al.name} has no okActions.`, al.urn);
    }
    for (const key of ACTION_LISTS) {
        const list = tryGet(p, key);
        let unknown = list === UNKNOWN;
        if (!unknown) {
            const l = asList(list);
            for (let i = 0; i < l.length; i++) {
                const s = tryGet(l, i);
                if (s === UNKNOWN) { unknown = true; continue; }
                if (typeof s !== "string") continue;
                const path = `${key}[${i}]`;
                const a = parseArn(s);
                if (!a) { report(`${path} is "${s}", which is not an ARN: pass the SNS topic's arn.`, al.urn); continue; }
                if (a.service === "iam") { report(`${path} is an IAM ARN, which CloudWatch cannot notify.`, al.urn); continue; }
                if (!cfg.allowedActionServices.includes(a.service)) { report(`${path} is a ${a.service} ARN, not one of allowedActionServices.`, al.urn); continue; }
                if (region && a.region && a.region !== region) report(`${path} is in ${a.region} but the alarm is in ${region}.`, al.urn);
                if (a.account && isPlaceholderAccount(a.account)) report(`${path} uses the placeholder account ${a.account}.`, al.urn);
            }
        }
        for (const d of (al.propertyDependencies || {})[key] || []) {
            if (!d || !d.type.startsWith("aws:")) continue;
            const svc = ACTION_TYPES[d.type];
            if (svc && cfg.allowedActionServices.includes(svc)) {
                const dreg = resRegion(d);
                if (region && dreg && dreg !== region) report(`alarm ${al.name} is in ${region} but its ${key} use ${d.type} ${d.name} in ${dreg}.`, al.urn);
                continue;
            }
            if (unknown) report(`alarm ${al.name} takes its ${key} from ${d.type} ${d.name}, which CloudWatch cannot notify.`, al.urn);
        }
    }
}

const alarmActions = {
    name: "cloudwatch-alarm-actions-valid",
    description: "CloudWatch alarms must have enabled alarm actions that are ARNs of allowed services in the alarm's region.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        allowedActionServices: { type: "array", items: { type: "string" }, default: ["sns"] },
        requireOkActions: { type: "boolean", default: false },
    } },
    validateStack: (args, report) => {
        const cfg = args.getConfig();
        for (const r of args.resources) {
            if (r.type === MetricAlarm.__pulumiType || r.type === CompositeAlarm.__pulumiType) checkAlarm(r, args.resources, cfg, report);
        }
    },
};

function judgeRegion(region, cfg, report) {
    const st = regionStatus(region);
    if (st === "az") return report(`region is "${region}", an availability zone, not a region.`);
    if (st === "malformed") return report(`region is "${region}", which is not an AWS region code.`);
    if (st === "well-formed" && !cfg.allowWellFormedUnknownRegions) return report(`region is "${region}", which is not in the region list.`);
    if (cfg.allowedRegions.length && !cfg.allowedRegions.includes(region)) return report(`region is "${region}", which is not one of the allowedRegions.`);
    if (cfg.deniedRegions.includes(region)) return report(`region is "${region}", which is listed in deniedRegions.`);
}

const providerRegion = {
    name: "aws-provider-region-valid",
    description: "AWS providers must name a valid AWS region, not an availability zone.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        allowedRegions: { type: "array", items: { type: "string" }, default: [] },
        deniedRegions: { type: "array", items: { type: "string" }, default: [] },
        allowWellFormedUnknownRegions: { type: "boolean", default: true },
        requireExplicitRegion: { type: "boolean", default: true },
    } },
    validateResource: (args, report) => {
        if (!args.type.startsWith("aws:") && args.type !== "pulumi:providers:aws") return;
        const cfg = args.getConfig();
        const region = args.props.region;
        if (args.type !== "pulumi:providers:aws") {
            if (typeof region === "string") judgeRegion(region, cfg, report);
            return;
        }
        if (region !== undefined && typeof region !== "string") return report("region is not a string.");
        if (region === undefined || region === "") {
            if (cfg.requireExplicitRegion) report("provider has no region: set region explicitly.");
            return;
        }
        judgeRegion(region, cfg, report);
    },
};

const MARKERS = [["Calling [toString] on an [Output", "Calling [toString] on an [Output<T>]"],
    ["Calling [toJSON] on an [Output", "Calling [toJSON] on an [Output<T>]"],
    ["Calling [ToString] on an [Output", "Calling [ToString] on an [Output<T>]"],
    ["Calling __str__ on an Output", "Calling __str__ on an Output[T]"],
    ["pulumi.output.Output object at 0x", "<pulumi.output.Output object at 0x...>"],
    ["[object Object]", "[object Object]"]];
const GO_OUTPUT = /\{0xc[0-9a-f]{6,32}\}/;

function markerIn(s, extra) {
    for (const [needle, marker] of MARKERS) if (s.includes(needle)) return marker;
    if (GO_OUTPUT.test(s)) return "{0xc...} (Go %v of an Output)";
    if (extra) for (const x of extra) if (x && s.includes(x)) return x;
    return undefined;
}

// Walk every known value. Touching an unknown throws (the SDK's unknown-checking proxy): skip it.
function walkMarkers(v, path, extra, report, depth) {
    if (depth > 64) return;
    if (typeof v === "string") {
        const m = markerIn(v, extra);
        if (m) report(`${path || "the value"} contains "${m}": build the value with pulumi.interpolate or apply.`);
    } else if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
            let e;
            try { e = v[i]; } catch (err) { continue; }
            walkMarkers(e, `${path}[${i}]`, extra, report, depth + 1);
        }
    } else if (v && typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
        for (const k of Object.keys(v)) {
            const km = markerIn(k, extra);
            if (km) report(`${path || "the resource's inputs"} has a key containing "${km}".`);
            let e;
            try { e = v[k]; } catch (err) { continue; }
            walkMarkers(e, path ? `${path}.${k}` : k, extra, report, depth + 1);
        }
    } // assets and archives (SDK objects) are not judged as text
}

const noStringifiedOutputs = {
    name: "no-stringified-pulumi-outputs",
    description: "Resource inputs must not contain stringified Pulumi Outputs.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { extraMarkers: { type: "array", items: { type: "string" }, default: [] } } },
    validateResource: (args, report) => {
        if (!args.type.startsWith("aws:") && args.type !== "pulumi:providers:aws") return;
        const extra = args.getConfig().extraMarkers;
        const m = markerIn(args.name, extra);
        if (m) report(`the resource name contains "${m}".`);
        const props = args.props;
        for (const k of Object.keys(props)) {
            let v;
            try { v = props[k]; } catch (e) { continue; }
            walkMarkers(v, k, extra, report, 1);
        }
    },
};

new PolicyPack("bench-like-for-like", {
    policies: [lambdaRuntimeSupported, lambdaXray, iamNoWildcardActions, iamNoWildcardResources, dynamoSse,
        s3BucketName, sgNoPublicIngress, alarmActions, providerRegion, noStringifiedOutputs],
});
