/*
 * fuzz_parsers.c - arbitrary text through the JSON reader, the IAM
 * policy-document parser and the EventBridge event-pattern parser, both as
 * JSON text and as an already-parsed (Struct) value.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "evpattern.h"
#include "iam.h"
#include "pv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct arena a;
	arena_init(&a, 64u << 20);
	char *text = arena_strndup(&a, (const char *)data, len);
	if (!text)
		abort();
	pv_value *str = pv_new_str(&a, text);
	struct iam_doc doc;
	iam_doc_parse(&a, str, &doc);
	for (size_t i = 0; doc.status == IAM_OK && i < doc.n; i++)
		for (size_t k = 0; k < doc.st[i].action.n; k++)
			(void)iam_action_is_wildcard(doc.st[i].action.v[k]);
	struct evp_pattern p;
	evp_parse_text(&a, text, len, &p);
	const pv_value *v = pv_parse_json(&a, text, len, NULL);
	if (v) {
		iam_doc_parse(&a, v, &doc);
		evp_parse_value(&a, v, &p);
		(void)pv_to_json(&a, v);
		(void)pv_has_unknown(v);
	}
	arena_release(&a);
	return 0;
}
