/* The grouping loops of budgetkg.etl.shacl_screen, compiled: group() is the loop of shacl_screen._group_loop (a
 * document's triple positions by predicate), pairs() the loop of shacl_screen._pairs_loop (a predicate's
 * subject -> objects or object -> subjects), last() the loop of shacl_screen._last_loop (the last position of each
 * IRI among a document's objects). They were about a sixth of a document's validation in Python
 * (docs/benchmarks.md, session 23).
 *
 * They give exactly what the Python loops give: the same dict, keys in the same order (first met), each key's list
 * in the same order; keys are looked up by hash and equality as dict.get looks them up. Two things are cheaper:
 * a key is hashed once, not once to look it up and again to insert it, and a key met again as the same object is
 * found by its address in a small cache, without hashing it (pyoxigraph's terms do not keep their hash: every dict
 * operation on a term hashes its whole text; the mapper makes one object per term, so a predicate met again is
 * usually the same object). tests/etl/test_shacl_screen.py compares both on the bundled samples (terms as the
 * mapper makes them and as a parser does) and on edge cases; shacl_screen uses the Python loops wherever this module
 * is not built (a machine without a C compiler). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define CACHE_SIZE 256 /* slots of the cache by address (a power of two) */
#define SLOT_OF(key) (((uintptr_t)(key) >> 4) & (CACHE_SIZE - 1)) /* (objects are 16-byte aligned) */

/* The cache compares keys by address only, never reads them. A key's hash or equality may run Python code that
 * changes the caller's lists (pyoxigraph's terms run none): each key and value is held while it is used, so that a
 * list changed meanwhile can at worst be grouped wrongly, never make this code read freed memory. */
typedef struct {
    PyObject *key;  /* compared by address only */
    PyObject *list; /* borrowed: held by the dict being made, which no other code sees */
} slot;

/* The list of ``key`` in ``out`` (a new empty one when ``key`` is new); borrowed; NULL with an exception set. */
static PyObject *list_of(PyObject *out, PyObject *key, slot *cache) {
    slot *s = &cache[SLOT_OF(key)];
    if (s->key == key) return s->list;
    Py_hash_t hash = PyObject_Hash(key);
    if (hash == -1) return NULL;
#if PY_VERSION_HEX < 0x030D0000
    PyObject *list = _PyDict_GetItem_KnownHash(out, key, hash);
#else
    PyObject *list = PyDict_GetItemWithError(out, key);
#endif
    if (list == NULL) {
        if (PyErr_Occurred()) return NULL;
        list = PyList_New(0);
        if (list == NULL) return NULL;
#if PY_VERSION_HEX < 0x030D0000
        int rc = _PyDict_SetItem_KnownHash(out, key, list, hash);
#else
        int rc = PyDict_SetItem(out, key, list);
#endif
        Py_DECREF(list); /* the dict holds it */
        if (rc < 0) return NULL;
    }
    s->key = key;
    s->list = list;
    return list;
}

/* group(keys: list) -> dict: key -> the positions where it is in ``keys``, in order. */
static PyObject *group(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 1 || !PyList_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "group(keys): a list");
        return NULL;
    }
    PyObject *keys = args[0];
    slot cache[CACHE_SIZE] = {{NULL, NULL}};
    PyObject *out = PyDict_New();
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(keys); i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        Py_INCREF(key);
        PyObject *list = list_of(out, key, cache);
        PyObject *position = list == NULL ? NULL : PyLong_FromSsize_t(i);
        int rc = position == NULL ? -1 : PyList_Append(list, position);
        Py_XDECREF(position);
        Py_DECREF(key);
        if (rc < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

/* pairs(keys: list, values: list, rows: list | tuple) -> dict: keys[i] -> [values[i], ...] for i in rows, in order
 * (an index out of range raises IndexError, a negative one counts from the end, as list indexing does). */
static PyObject *pairs(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyList_CheckExact(args[0]) || !PyList_CheckExact(args[1])
        || !(PyList_CheckExact(args[2]) || PyTuple_CheckExact(args[2]))) {
        PyErr_SetString(PyExc_TypeError, "pairs(keys, values, rows): two lists and a list or tuple");
        return NULL;
    }
    PyObject *keys = args[0], *values = args[1], *rows = args[2];
    slot cache[CACHE_SIZE] = {{NULL, NULL}};
    PyObject *out = PyDict_New();
    if (out == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(rows);
    for (Py_ssize_t r = 0; r < n; r++) {
        Py_ssize_t i = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(rows, r));
        if (i == -1 && PyErr_Occurred()) goto fail;
        Py_ssize_t k = i < 0 ? i + PyList_GET_SIZE(keys) : i, v = i < 0 ? i + PyList_GET_SIZE(values) : i;
        if (k < 0 || k >= PyList_GET_SIZE(keys) || v < 0 || v >= PyList_GET_SIZE(values)) {
            PyErr_SetString(PyExc_IndexError, "list index out of range");
            goto fail;
        }
        PyObject *key = PyList_GET_ITEM(keys, k), *value = PyList_GET_ITEM(values, v);
        Py_INCREF(key);
        Py_INCREF(value);
        PyObject *list = list_of(out, key, cache);
        int rc = list == NULL ? -1 : PyList_Append(list, value);
        Py_DECREF(key);
        Py_DECREF(value);
        if (rc < 0) goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* last(keys: list, cls: type) -> dict: key -> its last position in ``keys``, for the keys of exactly the class
 * ``cls``, in the order each is first met (the others are not hashed); a key met again as the same object is not
 * hashed again (its hash kept by address, as list_of keeps its list). */
static PyObject *last(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyList_CheckExact(args[0]) || !PyType_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "last(keys, cls): a list and a type");
        return NULL;
    }
    PyObject *keys = args[0];
    PyTypeObject *cls = (PyTypeObject *)args[1];
    struct {
        PyObject *key; /* compared by address only (see slot) */
        Py_hash_t hash;
    } cache[CACHE_SIZE] = {{NULL, 0}};
    PyObject *out = PyDict_New();
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(keys); i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        if (Py_TYPE(key) != cls) continue;
        Py_INCREF(key);
        Py_ssize_t at = SLOT_OF(key);
        Py_hash_t hash = cache[at].key == key ? cache[at].hash : PyObject_Hash(key);
        PyObject *position = hash == -1 ? NULL : PyLong_FromSsize_t(i);
#if PY_VERSION_HEX < 0x030D0000
        int rc = position == NULL ? -1 : _PyDict_SetItem_KnownHash(out, key, position, hash);
#else
        int rc = position == NULL ? -1 : PyDict_SetItem(out, key, position);
#endif
        Py_XDECREF(position);
        Py_DECREF(key);
        if (rc < 0) {
            Py_DECREF(out);
            return NULL;
        }
        cache[at].key = key;
        cache[at].hash = hash;
    }
    return out;
}

static PyMethodDef methods[] = {
    {"group", (PyCFunction)(void (*)(void))group, METH_FASTCALL, "shacl_screen._group_loop, compiled."},
    {"pairs", (PyCFunction)(void (*)(void))pairs, METH_FASTCALL, "shacl_screen._pairs_loop, compiled."},
    {"last", (PyCFunction)(void (*)(void))last, METH_FASTCALL, "shacl_screen._last_loop, compiled."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_grouping", "The grouping loops of budgetkg.etl.shacl_screen, compiled.", -1, methods,
    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__grouping(void) { return PyModule_Create(&module); }
