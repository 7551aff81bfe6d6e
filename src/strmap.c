/*
 * strmap.c - string multimap for one request (see strmap.h).
 */
#include "strmap.h"

#include <string.h>

#include "arena.h"

uint64_t smap_hash(const char *s, size_t len)
{
	uint64_t h = SMAP_FNV_BASIS;   /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= SMAP_FNV_PRIME;
	}
	return h;
}

int smap_init(struct arena *a, struct smap *m, size_t cap)
{
	size_t slots = 16;
	while (slots < cap * 2)
		slots *= 2;
	memset(m, 0, sizeof(*m));
	m->head = arena_alloc(a, slots * sizeof(*m->head));
	m->tail = arena_alloc(a, slots * sizeof(*m->tail));
	m->ents = arena_alloc(a, (cap ? cap : 1) * sizeof(*m->ents));
	if (!m->head || !m->tail || !m->ents) {
		memset(m, 0, sizeof(*m));
		return -1;
	}
	memset(m->head, 0, slots * sizeof(*m->head));
	memset(m->tail, 0, slots * sizeof(*m->tail));
	m->mask = slots - 1;
	m->cap = cap;
	return 0;
}

void smap_add(struct smap *m, const char *key, size_t val)
{
	uint64_t h;
	size_t slot;

	if (m->n >= m->cap)
		return;
	h = smap_hash(key, strlen(key));
	slot = h & m->mask;
	m->ents[m->n] = (struct smap_ent){ h, key, val, 0 };
	/* Appended at the chain's tail: values of a key stay in insertion order. */
	if (m->tail[slot])
		m->ents[m->tail[slot] - 1].next = m->n + 1;
	else
		m->head[slot] = m->n + 1;
	m->tail[slot] = ++m->n;
}

size_t smap_next_n(const struct smap *m, const char *s, size_t len, uint64_t h, size_t e)
{
	if (!m->head)
		return 0;
	e = e ? m->ents[e - 1].next : m->head[h & m->mask];
	for (; e; e = m->ents[e - 1].next) {
		const struct smap_ent *x = &m->ents[e - 1];
		if (x->h == h && strncmp(x->key, s, len) == 0 && x->key[len] == '\0')
			return e;
	}
	return 0;
}

size_t smap_next(const struct smap *m, const char *key, size_t e)
{
	size_t len = strlen(key);
	return smap_next_n(m, key, len, smap_hash(key, len), e);
}
