/*
 * mkcorpus.c - seed corpora for the fuzz targets, made from the fixtures:
 *   fuzz_mkcorpus OUTDIR FIXTURE.json...
 * writes OUTDIR/{analyze,analyze_stack,configure,parsers,checkmode}/<hash>.
 * Run by scripts/fuzz.sh; the committed corpora are minimised with -merge=1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "pulumi/analyzer.pb-c.h"
#include "resjson.h"

static const char *outdir;

static void put(const char *sub, const void *data, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ ((const unsigned char *)data)[i]) * 1099511628211ull;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", outdir, sub);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%016llx", outdir, sub, (unsigned long long)h);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		fprintf(stderr, "mkcorpus: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	fclose(f);
}

static void put_msg(const char *sub, const ProtobufCMessage *m)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = malloc(n ? n : 1);
	protobuf_c_message_pack(m, buf);
	put(sub, buf, n);
	free(buf);
}

static Google__Protobuf__Struct *st(const pv_value *v)
{
	return v && v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE ? v->struct_value : NULL;
}

/* JSON documents inside string values: seeds for the parsers target. */
static void strings(const pv_value *v, int depth)
{
	if (!v || depth > 32)
		return;
	if (v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE) {
		const char *s = v->string_value;
		if (s[0] == '{' || s[0] == '[')
			put("parsers", s, strlen(s));
	} else if (v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE) {
		for (size_t i = 0; i < v->list_value->n_values; i++)
			strings(v->list_value->values[i], depth + 1);
	} else if (v->kind_case == GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE) {
		for (size_t i = 0; i < v->struct_value->n_fields; i++)
			strings(v->struct_value->fields[i]->value, depth + 1);
	}
}

static void one(const char *file)
{
	struct arena a;
	arena_init(&a, 0);
	size_t len;
	const char *err = NULL;
	char *text = resjson_read_file(&a, file, &len, &err);
	struct resjson_doc d;
	if (!text || resjson_load(&a, text, len, &d, &err) < 0) {
		fprintf(stderr, "mkcorpus: %s: %s\n", file, err ? err : "?");
		exit(1);
	}
	put("checkmode", text, len);
	Pulumirpc__AnalyzerResource **rs = arena_alloc(&a, (d.n ? d.n : 1) * sizeof(*rs));
	for (size_t i = 0; i < d.n; i++) {
		const struct pol_resource *r = &d.inputs[i];
		Pulumirpc__AnalyzerProviderResource *prov = arena_alloc(&a, sizeof(*prov));
		pulumirpc__analyzer_provider_resource__init(prov);
		prov->type = (char *)r->provider_type;
		prov->urn = (char *)r->provider_urn;
		prov->name = (char *)r->provider_name;
		prov->properties = st(r->provider_props);
		Pulumirpc__AnalyzeRequest req = PULUMIRPC__ANALYZE_REQUEST__INIT;
		req.type = (char *)r->type;
		req.urn = (char *)r->urn;
		req.name = (char *)r->name;
		req.properties = st(r->props);
		req.provider = *r->provider_urn ? prov : NULL;
		put_msg("analyze", &req.base);
		strings(r->props, 0);

		const struct pol_resource *o = &d.outputs[i];
		rs[i] = arena_alloc(&a, sizeof(**rs));
		pulumirpc__analyzer_resource__init(rs[i]);
		rs[i]->type = (char *)o->type;
		rs[i]->urn = (char *)o->urn;
		rs[i]->name = (char *)o->name;
		rs[i]->parent = (char *)o->parent;
		rs[i]->properties = st(o->props);
		rs[i]->provider = req.provider;
		rs[i]->n_dependencies = o->n_deps;
		rs[i]->dependencies = (char **)o->deps;
		rs[i]->n_propertydependencies = o->n_propdeps;
		rs[i]->propertydependencies = arena_alloc(&a, (o->n_propdeps ? o->n_propdeps : 1) * sizeof(void *));
		for (size_t k = 0; k < o->n_propdeps; k++) {
			Pulumirpc__AnalyzerResource__PropertyDependenciesEntry *e = arena_alloc(&a, sizeof(*e));
			pulumirpc__analyzer_resource__property_dependencies_entry__init(e);
			e->key = (char *)o->propdeps[k].prop;
			e->value = arena_alloc(&a, sizeof(*e->value));
			pulumirpc__analyzer_property_dependencies__init(e->value);
			e->value->n_urns = o->propdeps[k].n_urns;
			e->value->urns = (char **)o->propdeps[k].urns;
			rs[i]->propertydependencies[k] = e;
		}
	}
	Pulumirpc__AnalyzeStackRequest sreq = PULUMIRPC__ANALYZE_STACK_REQUEST__INIT;
	sreq.n_resources = d.n;
	sreq.resources = rs;
	put_msg("analyze_stack", &sreq.base);
	if (d.config) {
		char *cfg = pv_to_json_raw(&a, d.config);
		put("configure", cfg, strlen(cfg));
	}
	arena_release(&a);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: fuzz_mkcorpus OUTDIR FIXTURE.json...\n");
		return 2;
	}
	outdir = argv[1];
	mkdir(outdir, 0755);
	for (int i = 2; i < argc; i++)
		one(argv[i]);
	/* Configure requests as the engine sends them. */
	static const char *const cfgs[] = { "{\"all\":\"mandatory\"}", "{\"all\":\"disabled\",\"x\":{\"y\":1}}",
					    "{\"environments\":[\"o/e\"]}" };
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++)
		put("configure", cfgs[i], strlen(cfgs[i]));
	return 0;
}
