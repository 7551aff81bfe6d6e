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

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// ---- the ten policies ---------------------------------------------------------------------

const DEPRECATED = {
    "python3.10": "2026-10-31", "python3.9": "2025-12-15", "python3.8": "2024-10-14", "python3.7": "2023-12-04",
    "python3.6": "2022-07-18", "python2.7": "2021-07-15", "nodejs20.x": "2026-04-30", "nodejs18.x": "2025-09-01",
    "nodejs16.x": "2024-06-12", "nodejs14.x": "2023-12-04", "nodejs12.x": "2023-03-31", "nodejs10.x": "2021-07-30",
    "nodejs8.10": "2020-03-06", "nodejs6.10": "2019-08-12", "nodejs4.3": "2020-03-05", "nodejs4.3-edge": "2020-03-05",
    "nodejs": "2016-08-30", "provided.al2": "2026-07-31", "provided": "2024-01-08", "go1.x": "2024-01-08",
    "java8": "2024-01-08", "ruby3.2": "2026-03-31", "ruby2.7": "2023-12-07", "ruby2.5": "2021-07-30",
    "dotnet8": "2026-11-10", "dotnet9": "2026-11-10", "dotnet7": "2024-05-14", "dotnet6": "2024-12-20",
    "dotnet5.0": "2022-05-10", "dotnetcore3.1": "2023-04-03", "dotnetcore2.1": "2022-01-05",
    "dotnetcore2.0": "2019-05-30", "dotnetcore1.0": "2019-06-27",
};
const MIN_VERSIONS = { python: "3.11", nodejs: "22", java: "17", dotnet: "10", ruby: "3.3", provided: "al2023" };

function versionLess(a, b) {
    const x = a.split(".").map(Number), y = b.split(".").map(Number);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] || 0) - (y[i] || 0);
        if (d) return d < 0;
    }
    return false;
}

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
        if (fn.packageType === "Image" || fn.runtime === undefined) return;
        const cfg = args.getConfig();
        const rt = fn.runtime;
        if (cfg.allowedRuntimes.length && !cfg.allowedRuntimes.includes(rt)) {
            report(`runtime "${rt}" is not one of allowedRuntimes.`);
            return;
        }
        const asOf = cfg.asOfDate || new Date().toISOString().slice(0, 10);
        const eos = DEPRECATED[rt];
        if (eos && eos <= asOf) {
            report(`runtime "${rt}" reached end of support on ${eos}: move to a supported runtime.`);
            return;
        }
        const m = /^(python|nodejs|java|dotnet|ruby)(\d+(?:\.\d+)?)/.exec(rt);
        if (m && cfg.minimumVersions[m[1]] && versionLess(m[2], cfg.minimumVersions[m[1]])) {
            report(`runtime "${rt}" is below the minimum ${m[1]}${cfg.minimumVersions[m[1]]}.`);
        }
    }),
};

const lambdaXray = {
    name: "lambda-xray-tracing-active",
    description: "Lambda functions must have X-Ray active tracing.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowPassThrough: { type: "boolean", default: false } } },
    validateResource: validateResourceOfType(Fn, (fn, args, report) => {
        const tc = fn.tracingConfig;
        if (!tc || tc.mode === undefined) {
            report("tracingConfig is not set: set tracingConfig: { mode: \"Active\" }.");
        } else if (tc.mode !== "Active" && !(tc.mode === "PassThrough" && args.getConfig().allowPassThrough)) {
            report(`tracingConfig.mode is "${tc.mode}": set tracingConfig: { mode: "Active" }.`);
        }
    }),
};

const idTypes = [Role, Policy, RolePolicy, UserPolicy, GroupPolicy];

function wildcardAction(a) {
    return a === "*" || (typeof a === "string" && /^[a-z0-9-]+:\*$/i.test(a));
}

const iamNoWildcardActions = {
    name: "iam-no-wildcard-actions",
    description: "IAM policies must not allow wildcard actions.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        allowedServiceWildcards: { type: "array", items: { type: "string" }, default: [] },
        flagPartialWildcards: { type: "boolean", default: false },
        ignoreDenyStatements: { type: "boolean", default: true },
    } },
    validateResource: ofTypes(idTypes, (props, args, report) => {
        const cfg = args.getConfig();
        for (const [path, v] of identityDocs(args.type, props)) {
            const doc = parseDoc(v);
            statements(doc).forEach((st, i) => {
                if (st.Effect !== "Allow") return;
                if (st.NotAction !== undefined) {
                    report(`${path} Statement[${i}] allows NotAction: list the actions instead.`);
                    return;
                }
                for (const a of asList(st.Action)) {
                    if (typeof a !== "string") continue;
                    const svc = a.split(":")[0].toLowerCase();
                    if (wildcardAction(a) && !(a !== "*" && cfg.allowedServiceWildcards.includes(svc))) {
                        report(`${path} Statement[${i}] allows "${a}": list only the actions the workload needs.`);
                    } else if (cfg.flagPartialWildcards && a.includes("*")) {
                        report(`${path} Statement[${i}] allows "${a}": avoid partial wildcards.`);
                    }
                }
            });
        }
    }),
};

const STAR_OK = new Set(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
    "xray:GetSamplingTargets", "cloudwatch:PutMetricData", "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses", "sts:GetCallerIdentity"].map((s) => s.toLowerCase()));

function allowedSuffixWildcard(arn) {
    if (arn.service === "s3") return !arn.resource.split("/")[0].includes("*") && /\/\*$/.test(arn.resource);
    if (arn.service === "logs") return /^log-group:[^*?]+:(log-stream:)?\*$/.test(arn.resource);
    if (arn.service === "secretsmanager") return /^secret:[^*?]+-(\?{6}|\*)$/.test(arn.resource);
    if (arn.service === "dynamodb") return /^table\/[^*?/]+\/(index|stream)\/\*$/.test(arn.resource);
    return false;
}

const iamNoWildcardResources = {
    name: "iam-no-wildcard-resources",
    description: "IAM policies must not allow actions on wildcard resources.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        starResourceAllowedActions: { type: "array", items: { type: "string" }, default: [...STAR_OK] },
        allowedResourcePatterns: { type: "array", items: { type: "string" }, default: [] },
    } },
    validateResource: ofTypes(idTypes, (props, args, report) => {
        const cfg = args.getConfig();
        const starOk = new Set(cfg.starResourceAllowedActions.map((s) => s.toLowerCase()));
        for (const [path, v] of identityDocs(args.type, props)) {
            statements(parseDoc(v)).forEach((st, i) => {
                if (st.Effect !== "Allow") return;
                const actions = asList(st.Action);
                if (st.NotResource !== undefined) {
                    report(`${path} Statement[${i}] uses NotResource: name the resources.`);
                    return;
                }
                for (const res of asList(st.Resource)) {
                    if (typeof res !== "string") continue;
                    if (res === "*") {
                        if (!actions.length || !actions.every((a) => typeof a === "string" && starOk.has(a.toLowerCase()))) {
                            report(`${path} Statement[${i}] allows its actions on Resource "*": scope it to ARNs.`);
                        }
                        continue;
                    }
                    const arn = parseArn(res);
                    if (!arn || !/[*?]/.test(res) || cfg.allowedResourcePatterns.some((g) => g === res)) continue;
                    if (/[*?]/.test(arn.region) || /[*?]/.test(arn.account) ||
                        (/[*?]/.test(arn.resource) && !allowedSuffixWildcard(arn))) {
                        report(`${path} Statement[${i}] allows "${res}": avoid wildcards in ARNs.`);
                    }
                }
            });
        }
    }),
};

const dynamoSse = {
    name: "dynamodb-sse-explicitly-enabled",
    description: "DynamoDB tables must enable server-side encryption explicitly.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { requireCustomerManagedKey: { type: "boolean", default: false } } },
    validateResource: validateResourceOfType(Table, (t, args, report) => {
        const sse = t.serverSideEncryption;
        if (!sse || sse.enabled !== true) {
            report("serverSideEncryption.enabled is not true: set serverSideEncryption: { enabled: true }.");
            return;
        }
        const cmk = sse.kmsKeyArn;
        if (args.getConfig().requireCustomerManagedKey && !cmk) {
            report("serverSideEncryption.kmsKeyArn is not set: use a customer managed key.");
        }
        if (cmk) {
            asList(t.replicas).forEach((rep, i) => {
                if (!rep || typeof rep !== "object") return;
                if (!rep.kmsKeyArn) {
                    report(`replicas[${i}] has no kmsKeyArn while the table uses a customer managed key.`);
                } else {
                    const a = parseArn(rep.kmsKeyArn);
                    if (a && rep.regionName && a.region && a.region !== rep.regionName) {
                        report(`replicas[${i}].kmsKeyArn is in ${a.region}, not ${rep.regionName}.`);
                    }
                }
            });
        }
    }),
};

const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

function bucketNameProblem(n, forbidDots) {
    if (n.length < 3 || n.length > 63) return "must be 3-63 characters";
    if (!/^[a-z0-9.-]*$/.test(n)) return "may only contain lowercase letters, digits, '.' and '-'";
    if (!/^[a-z0-9]/.test(n) || !/[a-z0-9]$/.test(n)) return "must begin and end with a letter or digit";
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
        if (b.bucketNamespace === "account-regional" && typeof b.bucket === "string" && !/-\d{12}-[a-z0-9-]+-an$/.test(b.bucket)) {
            report(`bucket "${b.bucket}" lacks the "-<account-id>-<region>-an" suffix.`);
        }
    }),
};

const SENSITIVE_PORTS = [22, 23, 110, 135, 137, 138, 139, 445, 1433, 1521, 2049, 2375, 3306, 3389, 5432, 5900, 6379,
    9200, 9300, 11211, 27017];

function publicCidr(c, minPrefix) {
    if (typeof c !== "string" || !c.includes("/")) return false;
    const len = Number(c.split("/")[1]);
    return len === 0 || len < minPrefix;
}

function judgeIngress(path, proto, from, to, cidrs, cfg, report) {
    const open = cidrs.filter((c) => publicCidr(c, cfg.minPrefixLength));
    if (!open.length) return;
    const p = String(proto);
    const allPorts = p === "-1" || p === "all";
    if (allPorts) {
        report(`${path} opens all ports to ${open.join(", ")}: restrict the source.`);
        return;
    }
    from = Number(from); to = Number(to);
    const sensitive = SENSITIVE_PORTS.filter((s) => s >= from && s <= to);
    if (sensitive.length) {
        report(`${path} opens port ${sensitive.join(", ")} to ${open.join(", ")}: restrict the source.`);
        return;
    }
    const allowed = cfg.allowedPublicPorts;
    for (let q = from; q <= to; q++) {
        if (!allowed.includes(q)) {
            report(`${path} opens ports ${from}-${to} to ${open.join(", ")}: restrict the source or add the ports to allowedPublicPorts.`);
            return;
        }
    }
}

const sgNoPublicIngress = {
    name: "security-group-no-public-ingress",
    description: "Security groups must not allow ingress from the whole internet.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        allowedPublicPorts: { type: "array", items: { type: "number" }, default: [] },
        minPrefixLength: { type: "number", default: 0 },
        sensitivePorts: { type: "array", items: { type: "number" }, default: SENSITIVE_PORTS },
    } },
    validateResource: ofTypes([SG, DefaultSG, SGRule, SGIngress], (r, args, report) => {
        const cfg = args.getConfig();
        if (args.type === SGIngress.__pulumiType) {
            judgeIngress("rule", r.ipProtocol, r.fromPort, r.toPort, [r.cidrIpv4, r.cidrIpv6].filter((x) => x), cfg, report);
        } else if (args.type === SGRule.__pulumiType) {
            if (r.type !== "ingress") return;
            judgeIngress("rule", r.protocol, r.fromPort, r.toPort, [...asList(r.cidrBlocks), ...asList(r.ipv6CidrBlocks)], cfg, report);
        } else {
            asList(r.ingress).forEach((x, i) => {
                if (!x || typeof x !== "object") return;
                judgeIngress(`ingress[${i}]`, x.protocol, x.fromPort, x.toPort,
                    [...asList(x.cidrBlocks), ...asList(x.ipv6CidrBlocks)], cfg, report);
            });
        }
    }),
};

const alarmActions = {
    name: "cloudwatch-alarm-actions-valid",
    description: "CloudWatch alarms must notify a valid action in their own region.",
    enforcementLevel: "mandatory",
    configSchema: { properties: {
        allowedActionServices: { type: "array", items: { type: "string" }, default: ["sns"] },
        requireOkActions: { type: "boolean", default: false },
    } },
    validateResource: ofTypes([MetricAlarm, CompositeAlarm], (al, args, report) => {
        const cfg = args.getConfig();
        if (al.actionsEnabled === false) report("actionsEnabled is false: alarms would notify nobody.");
        const actions = asList(al.alarmActions);
        if (!actions.length) {
            report("alarmActions is empty: add an SNS topic ARN.");
            return;
        }
        if (cfg.requireOkActions && !asList(al.okActions).length) report("okActions is empty.");
        const region = regionOf(al, args);
        for (const key of ["alarmActions", "okActions", "insufficientDataActions"]) {
            asList(al[key]).forEach((a, i) => {
                if (typeof a !== "string") return;
                const arn = parseArn(a);
                if (!arn) {
                    report(`${key}[${i}] "${a}" is not an ARN.`);
                    return;
                }
                if (!cfg.allowedActionServices.includes(arn.service) && arn.service !== "automate") {
                    report(`${key}[${i}] is a ${arn.service} ARN, not an alarm action.`);
                    return;
                }
                if (region && arn.region && arn.region !== region) {
                    report(`${key}[${i}] is in ${arn.region} but the alarm is in ${region}.`);
                } else if (isPlaceholderAccount(arn.account)) {
                    report(`${key}[${i}] uses the placeholder account ${arn.account}.`);
                }
            });
        }
    }),
};

function judgeRegion(region, cfg, report) {
    const st = regionStatus(region);
    if (st === "az") return report(`region is "${region}", an availability zone: use the region code.`);
    if (st === "malformed") return report(`region is "${region}", which is not an AWS region code.`);
    if (st === "well-formed" && !cfg.allowWellFormedUnknownRegions) return report(`region "${region}" is not in the region list.`);
    if (cfg.allowedRegions.length && !cfg.allowedRegions.includes(region)) return report(`region "${region}" is not allowed.`);
    if (cfg.deniedRegions.includes(region)) return report(`region "${region}" is denied.`);
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
        if (region === undefined || region === "") {
            if (cfg.requireExplicitRegion) report("provider has no region: set region explicitly.");
            return;
        }
        if (typeof region !== "string") return report("region is not a string.");
        judgeRegion(region, cfg, report);
    },
};

const MARKERS = ["Calling [toString] on an [Output<T>]", "Calling [toJSON] on an [Output<T>]",
    "Calling __str__ on an Output[T]", "Calling [ToString] on an [Output<T>]", "<pulumi.output.Output object at 0x",
    "[object Object]"];

function findMarker(v, path, out) {
    if (typeof v === "string") {
        for (const m of MARKERS) if (v.includes(m)) { out.push([path, m]); return; }
    } else if (Array.isArray(v)) {
        v.forEach((x, i) => findMarker(x, `${path}[${i}]`, out));
    } else if (v && typeof v === "object") {
        for (const k of Object.keys(v)) findMarker(v[k], path ? `${path}.${k}` : k, out);
    }
}

const noStringifiedOutputs = {
    name: "no-stringified-pulumi-outputs",
    description: "Resource inputs must not contain stringified Pulumi Outputs.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { extraMarkers: { type: "array", items: { type: "string" }, default: [] } } },
    validateResource: (args, report) => {
        if (!args.type.startsWith("aws:") && args.type !== "pulumi:providers:aws") return;
        const found = [];
        // Walk every known value; touching an unknown throws (the SDK reports "can't run in preview").
        const props = args.props;
        for (const k of Object.keys(props)) {
            let v;
            try { v = props[k]; } catch (e) { continue; }
            try { findMarker(v, k, found); } catch (e) { /* unknown inside */ }
        }
        for (const [path] of found) report(`${path} contains a stringified Output: use pulumi.interpolate or apply.`);
    },
};

new PolicyPack("bench-like-for-like", {
    policies: [lambdaRuntimeSupported, lambdaXray, iamNoWildcardActions, iamNoWildcardResources, dynamoSse,
        s3BucketName, sgNoPublicIngress, alarmActions, providerRegion, noStringifiedOutputs],
});
