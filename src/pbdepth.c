/*
 * pbdepth.c - iterative nesting check of protobuf wire data (see pbdepth.h).
 */
#include "pbdepth.h"

#include <stdlib.h>

struct frame {
	const ProtobufCMessageDescriptor *desc;
	size_t end;
};

static int read_varint(const uint8_t *d, size_t len, size_t *pos, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (*pos >= len)
			return -1;
		uint8_t b = d[(*pos)++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

static const ProtobufCFieldDescriptor *field_of(const ProtobufCMessageDescriptor *desc, uint32_t number)
{
	/* Fields are sorted by number in protobuf-c descriptors. */
	size_t lo = 0, hi = desc->n_fields;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (desc->fields[mid].id == number)
			return &desc->fields[mid];
		if (desc->fields[mid].id < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int pbdepth_check(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len, unsigned max_depth)
{
	unsigned height;
	return pbdepth_measure(desc, data, len, max_depth, &height);
}

int pbdepth_measure(const ProtobufCMessageDescriptor *desc, const uint8_t *data, size_t len, unsigned max_depth,
		    unsigned *height)
{
	struct frame *stack = malloc((max_depth + 1) * sizeof(*stack));
	unsigned top = 0;
	*height = 0;
	size_t pos = 0;
	int rc = PBDEPTH_OK;
	if (!stack)
		return PBDEPTH_MALFORMED;
	stack[0].desc = desc;
	stack[0].end = len;
	for (;;) {
		/* Pop every frame whose bytes are consumed. */
		while (pos == stack[top].end) {
			if (top == 0)
				goto out;
			top--;
		}
		if (pos > stack[top].end) {
			rc = PBDEPTH_MALFORMED;
			goto out;
		}
		uint64_t key, n;
		if (read_varint(data, stack[top].end, &pos, &key) < 0 || key >> 3 == 0 || key >> 3 > UINT32_MAX) {
			rc = PBDEPTH_MALFORMED;
			goto out;
		}
		switch (key & 7) {
		case 0:   /* varint */
			if (read_varint(data, stack[top].end, &pos, &n) < 0)
				rc = PBDEPTH_MALFORMED;
			break;
		case 1:   /* 64-bit */
			if (stack[top].end - pos < 8)
				rc = PBDEPTH_MALFORMED;
			else
				pos += 8;
			break;
		case 5:   /* 32-bit */
			if (stack[top].end - pos < 4)
				rc = PBDEPTH_MALFORMED;
			else
				pos += 4;
			break;
		case 2: { /* length-delimited: maybe a sub-message */
			if (read_varint(data, stack[top].end, &pos, &n) < 0 || n > stack[top].end - pos) {
				rc = PBDEPTH_MALFORMED;
				break;
			}
			const ProtobufCFieldDescriptor *f = field_of(stack[top].desc, (uint32_t)(key >> 3));
			if (f && f->type == PROTOBUF_C_TYPE_MESSAGE && f->descriptor) {
				if (top + 1 > max_depth) {
					rc = PBDEPTH_TOO_DEEP;
					break;
				}
				top++;
				if (top > *height)
					*height = top;
				stack[top].desc = f->descriptor;
				stack[top].end = pos + n;
			} else {
				pos += n;
			}
			break;
		}
		default:  /* groups (3, 4) are not used by proto3 messages */
			rc = PBDEPTH_MALFORMED;
			break;
		}
		if (rc != PBDEPTH_OK)
			goto out;
	}
out:
	free(stack);
	return rc;
}
