/* The loops of budgetkg.etl.pdf_raw that run for every character, page object and path segment of a PDF, compiled:
 * chars() is the loop of pdf_raw._chars, walk() the loop of pdf_raw._walk over a page's (or a form's) objects, and
 * subpaths() the loop of pdf_raw._subpaths with _outside, _paint and _box (walk() paints a path as it does).
 *
 * They give exactly what the Python loops give (the same dicts, keys in the same order, the same floats to the last
 * bit: the same double operations in the same order, the positions rounded by the same pdf_raw._Rounded, every
 * comparison of points made on the same Python objects), and pdf_raw uses the Python loops wherever this module is
 * not built (a machine without a C compiler): tests/etl/test_pdf_speedups.py compares the two on every page of the
 * bundled and corpus PDFs. Built with -ffp-contract=off (setup.py): a fused multiply-add would round differently.
 *
 * What needs Python's own arithmetic (round() with digits) or pdfium's API stays in Python, as callbacks met once
 * per text object kind or baseline, not per character. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* the layout of a path's points that pdf_raw._POINT reads (checked by pdf_raw before it calls this module) */
#define POINT_LAYOUT "=ffBB2x"
#define POINT_SIZE 12

static PyObject *k_text, *k_x0, *k_x1, *k_top, *k_bottom, *k_doctop, *k_size, *k_upright;
static PyObject *k_object_type, *k_y0, *k_y1, *k_width, *k_height, *k_pts;
static PyObject *s_line, *s_rect, *s_curve;

/* rounded[value]: a lookup in pdf_raw._Rounded, its __missing__ called where the value is new (PyObject_GetItem on a
 * dict subclass does both, as rounded[value] does) */
static PyObject *rounded_get(PyObject *rounded, double value) {
    PyObject *key = PyFloat_FromDouble(value);
    if (key == NULL) return NULL;
    PyObject *out = PyObject_GetItem(rounded, key);
    Py_DECREF(key);
    return out;
}

/* a new dict of the given keys and values (the values' references stolen), in that order; NULL (values released)
 * on failure */
static PyObject *dict_of(PyObject **keys, PyObject **values, int n) {
#if PY_VERSION_HEX < 0x030D0000
    PyObject *d = _PyDict_NewPresized(n);  /* as a dict display makes it: no resize while it is filled */
#else
    PyObject *d = PyDict_New();
#endif
    int i, ok = d != NULL;
    for (i = 0; i < n; i++) {
        if (ok && (values[i] == NULL || PyDict_SetItem(d, keys[i], values[i]) < 0)) ok = 0;
        Py_XDECREF(values[i]);
    }
    if (!ok) {
        Py_XDECREF(d);
        return NULL;
    }
    return d;
}

static int append_steal(PyObject *list, PyObject *item) {
    if (item == NULL) return -1;
    int rc = PyList_Append(list, item);
    Py_DECREF(item);
    return rc;
}

/* the float of a strided buffer of C floats (a column of pdf_raw._columns) at index i */
static double float_at(const Py_buffer *view, Py_ssize_t i) {
    float v;
    memcpy(&v, (const char *)view->buf + i * view->strides[0], sizeof v);
    return (double)v;
}

static int float_column(PyObject *obj, Py_buffer *view, Py_ssize_t n) {
    if (PyObject_GetBuffer(obj, view, PyBUF_STRIDES | PyBUF_FORMAT) < 0) return -1;
    if (view->ndim != 1 || view->shape[0] < n || view->format == NULL || strcmp(view->format, "f") != 0) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "a column of C floats as long as the characters expected");
        return -1;
    }
    return 0;
}

typedef double (*font_size_fn)(void *, int);
typedef void *(*font_fn)(void *);

/* chars(codes, objs, kinds, xs, ys, rights, abcd, textpage, font_size, font, make_props, vertical, turned, e,
 *       rounded, generated, marked) -> list of character dicts
 *
 * pdf_raw._chars on the columns of the character records: codes, objs (text objects as ints), kinds, xs, ys and
 * rights are lists of one item per character index; abcd the four columns of the matrix (buffers of C floats);
 * textpage the text page's address and font_size, font the addresses of pdfium's FPDFText_GetFontSize and
 * FPDFTextObj_GetFont (called as _chars calls them, once per text object); make_props(key) is _object_props for a
 * key not met on the page, vertical(low, high, y) the (top, bottom, size) of a baseline not met for a text object
 * kind, turned(code, index, right, upright) a rotated character; e the x shift of the page's matrix; generated the
 * kind of pdfium's generated characters; marked the code each mark is read as (pdf_raw._MARKED: a line-end hyphen
 * pdfium marks, a glyph of Unicode 0 pdf_raw._layer marks). A generated character whose code unit str.isspace()
 * accepts (Py_UNICODE_ISSPACE: how str.isspace is defined) is left out. */
static PyObject *chars(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 17) {
        PyErr_SetString(PyExc_TypeError, "chars() takes 17 arguments");
        return NULL;
    }
    PyObject *codes = args[0], *objs = args[1], *kinds = args[2], *xs = args[3], *ys = args[4], *rights = args[5];
    PyObject *abcd = args[6], *make_props = args[10], *vertical_of = args[11], *turned = args[12];
    PyObject *rounded = args[14], *marked = args[16];
    if (!PyList_Check(codes) || !PyList_Check(objs) || !PyList_Check(kinds) || !PyList_Check(xs) ||
        !PyList_Check(ys) || !PyList_Check(rights) || !PyTuple_Check(abcd) || PyTuple_GET_SIZE(abcd) != 4 ||
        !PyDict_Check(rounded) || !PyDict_Check(marked)) {
        PyErr_SetString(PyExc_TypeError, "chars(): lists of the characters' fields, a tuple of 4 columns expected");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(codes);
    if (PyList_GET_SIZE(objs) < n || PyList_GET_SIZE(kinds) < n || PyList_GET_SIZE(xs) < n ||
        PyList_GET_SIZE(ys) < n || PyList_GET_SIZE(rights) < n) {
        PyErr_SetString(PyExc_ValueError, "chars(): a field shorter than the codes");
        return NULL;
    }
    void *textpage = PyLong_AsVoidPtr(args[7]);
    font_size_fn font_size = (font_size_fn)PyLong_AsVoidPtr(args[8]);
    font_fn font_of = (font_fn)PyLong_AsVoidPtr(args[9]);
    double e = PyFloat_AsDouble(args[13]);
    long generated = PyLong_AsLong(args[15]);
    if (PyErr_Occurred()) return NULL;
    if (font_size == NULL || font_of == NULL) {
        PyErr_SetString(PyExc_ValueError, "chars(): no address of pdfium's functions");
        return NULL;
    }
    Py_ssize_t n_marks = PyDict_GET_SIZE(marked), h = 0, at = 0;
    long marks[4], read_as[4];
    if (n_marks > 4) {
        PyErr_SetString(PyExc_ValueError, "chars(): at most 4 marks");
        return NULL;
    }
    PyObject *mark, *as;
    while (PyDict_Next(marked, &at, &mark, &as)) {
        marks[h] = PyLong_AsLong(mark);
        read_as[h++] = PyLong_AsLong(as);
        if (PyErr_Occurred()) return NULL;
    }

    Py_buffer columns[4];
    int k, got = 0;
    for (k = 0; k < 4; k++, got++)
        if (float_column(PyTuple_GET_ITEM(abcd, k), &columns[k], n) < 0) goto release;

    PyObject *out = PyList_New(0), *per_object = PyDict_New(), *known = PyDict_New();
    PyObject *props = NULL;  /* borrowed from per_object, which keeps it */
    PyObject *low = NULL, *high = NULL, *upright = NULL, *baselines = NULL;
    unsigned long long last = 0;
    int have_last = 0;
    if (out == NULL || per_object == NULL || known == NULL) goto fail;

    for (Py_ssize_t i = 0; i < n; i++) {
        long code = PyLong_AsLong(PyList_GET_ITEM(codes, i));
        if (code == -1 && PyErr_Occurred()) goto fail;
        if (!code) continue;
        int found = -1;
        for (h = 0; h < n_marks; h++)
            if (code == marks[h]) found = (int)h;
        if (found >= 0) {
            code = read_as[found];
        } else {
            long kind = PyLong_AsLong(PyList_GET_ITEM(kinds, i));
            if (kind == -1 && PyErr_Occurred()) goto fail;
            if (code < 0x10000 && Py_UNICODE_ISSPACE((Py_UCS4)code) && kind == generated) continue;
        }
        PyObject *obj = PyList_GET_ITEM(objs, i);
        unsigned long long address = PyLong_AsUnsignedLongLong(obj);
        if (address == (unsigned long long)-1 && PyErr_Occurred()) goto fail;
        if (!have_last || address != last) {
            props = PyDict_GetItemWithError(per_object, obj);
            if (props == NULL) {
                if (PyErr_Occurred()) goto fail;
                /* the key of _object_props: a, b, c, d of the matrix, the font size and the font (None for none) */
                void *font = font_of((void *)(uintptr_t)address);
                PyObject *full = PyTuple_New(6);
                if (full == NULL) goto fail;
                double parts[5] = {float_at(&columns[0], i), float_at(&columns[1], i), float_at(&columns[2], i),
                                   float_at(&columns[3], i), font_size(textpage, (int)i)};
                for (k = 0; k < 5; k++) PyTuple_SET_ITEM(full, k, PyFloat_FromDouble(parts[k]));
                PyTuple_SET_ITEM(full, 5, font ? PyLong_FromVoidPtr(font) : Py_NewRef(Py_None));
                for (k = 0; k < 6; k++)
                    if (PyTuple_GET_ITEM(full, k) == NULL) break;
                if (k < 6) {
                    Py_DECREF(full);
                    goto fail;
                }
                props = PyDict_GetItemWithError(known, full);
                if (props == NULL) {
                    PyObject *made = PyErr_Occurred() ? NULL : PyObject_CallOneArg(make_props, full);
                    int rc = made ? PyDict_SetItem(known, full, made) : -1;
                    Py_XDECREF(made);
                    if (rc < 0) {
                        Py_DECREF(full);
                        goto fail;
                    }
                    props = PyDict_GetItemWithError(known, full);
                }
                Py_DECREF(full);
                if (props == NULL || PyDict_SetItem(per_object, obj, props) < 0) goto fail;
            }
            if (!PyTuple_Check(props) || PyTuple_GET_SIZE(props) != 4) {
                PyErr_SetString(PyExc_TypeError, "chars(): props of 4 items expected");
                goto fail;
            }
            low = PyTuple_GET_ITEM(props, 0);
            high = PyTuple_GET_ITEM(props, 1);
            upright = PyTuple_GET_ITEM(props, 2);
            baselines = PyTuple_GET_ITEM(props, 3);
            last = address;
            have_last = 1;
        }
        PyObject *right = PyList_GET_ITEM(rights, i);
        if (low != Py_None) {
            PyObject *y = PyList_GET_ITEM(ys, i);
            if (!PyDict_Check(baselines)) {
                PyErr_SetString(PyExc_TypeError, "chars(): a dict of baselines expected");
                goto fail;
            }
            PyObject *vertical = PyDict_GetItemWithError(baselines, y);
            if (vertical == NULL) {
                if (PyErr_Occurred()) goto fail;
                PyObject *made = PyObject_CallFunctionObjArgs(vertical_of, low, high, y, NULL);
                int rc = made ? PyDict_SetItem(baselines, y, made) : -1;
                Py_XDECREF(made);
                if (rc < 0) goto fail;
                vertical = PyDict_GetItemWithError(baselines, y);
                if (vertical == NULL) goto fail;
            }
            if (!PyTuple_Check(vertical) || PyTuple_GET_SIZE(vertical) != 3) {
                PyErr_SetString(PyExc_TypeError, "chars(): a baseline of 3 items expected");
                goto fail;
            }
            double x = PyFloat_AsDouble(PyList_GET_ITEM(xs, i)), r = PyFloat_AsDouble(right);
            if (PyErr_Occurred()) goto fail;
            PyObject *ctop = PyTuple_GET_ITEM(vertical, 0);
            PyObject *keys[8] = {k_text, k_x0, k_x1, k_top, k_bottom, k_doctop, k_size, k_upright};
            PyObject *values[8] = {PyUnicode_FromOrdinal((int)code), rounded_get(rounded, x + e),
                                   rounded_get(rounded, r + e), Py_NewRef(ctop),
                                   Py_NewRef(PyTuple_GET_ITEM(vertical, 1)), Py_NewRef(ctop),
                                   Py_NewRef(PyTuple_GET_ITEM(vertical, 2)), Py_NewRef(upright)};
            if (append_steal(out, dict_of(keys, values, 8)) < 0) goto fail;
        } else {
            PyObject *code_obj = PyLong_FromLong(code), *index = PyLong_FromSsize_t(i);
            PyObject *made = (code_obj && index)
                                 ? PyObject_CallFunctionObjArgs(turned, code_obj, index, right, upright, NULL) : NULL;
            Py_XDECREF(code_obj);
            Py_XDECREF(index);
            if (append_steal(out, made) < 0) goto fail;
        }
    }
    Py_DECREF(per_object);
    Py_DECREF(known);
    for (k = 0; k < 4; k++) PyBuffer_Release(&columns[k]);
    return out;

fail:
    Py_XDECREF(out);
    Py_XDECREF(per_object);
    Py_XDECREF(known);
release:
    for (k = 0; k < got; k++) PyBuffer_Release(&columns[k]);
    return NULL;
}

/* pdf_raw._made of two corners, as pdf_raw._box picks them (of equal values, the first) */
static PyObject *box(PyObject *kind, double ax, double atop, double bx, double btop, double top_of) {
    double x0 = bx < ax ? bx : ax, x1 = bx > ax ? bx : ax;
    double top = btop < atop ? btop : atop, bottom = btop > atop ? btop : atop;
    PyObject *keys[10] = {k_object_type, k_x0, k_x1, k_top, k_bottom, k_doctop, k_y0, k_y1, k_width, k_height};
    PyObject *values[10] = {Py_NewRef(kind), PyFloat_FromDouble(x0), PyFloat_FromDouble(x1), PyFloat_FromDouble(top),
                            PyFloat_FromDouble(bottom), PyFloat_FromDouble(top), PyFloat_FromDouble(top_of - bottom),
                            PyFloat_FromDouble(top_of - top), PyFloat_FromDouble(x1 - x0),
                            PyFloat_FromDouble(bottom - top)};
    return dict_of(keys, values, 10);
}

/* x and y of the point pts[i] (a tuple of two floats) */
static int point(PyObject *pts, Py_ssize_t i, double *x, double *y) {
    PyObject *p = PyList_GET_ITEM(pts, i);
    *x = PyFloat_AsDouble(PyTuple_GET_ITEM(p, 0));
    *y = PyFloat_AsDouble(PyTuple_GET_ITEM(p, 1));
    return PyErr_Occurred() ? -1 : 0;
}

/* the extent of points (x, top): min() and max() of each as Python's (of equal values, the first; a NaN met first
 * stays) */
struct extent {
    double x0, x1, top, bottom;
};

static void extend(struct extent *e, Py_ssize_t i, double x, double top) {
    if (i == 0) {
        e->x0 = e->x1 = x;
        e->top = e->bottom = top;
        return;
    }
    if (x < e->x0) e->x0 = x;
    if (x > e->x1) e->x1 = x;
    if (top < e->top) e->top = top;
    if (top > e->bottom) e->bottom = top;
}

/* pdf_raw._outside: whether every point lies beyond one side of the clip box by more than slack */
static int outside(const double *clip, PyObject *pts, double top_of, double slack) {
    Py_ssize_t n = PyList_GET_SIZE(pts), i;
    double x, y;
    struct extent e = {0, 0, 0, 0};
    for (i = 0; i < n; i++) {
        if (point(pts, i, &x, &y) < 0) return -1;
        extend(&e, i, x, top_of - y);
    }
    return e.x1 < clip[0] - slack || e.x0 > clip[2] + slack || e.bottom < clip[1] - slack || e.top > clip[3] + slack;
}

static int equal_points(PyObject *pts, Py_ssize_t i, Py_ssize_t j) {
    return PyObject_RichCompareBool(PyList_GET_ITEM(pts, i), PyList_GET_ITEM(pts, j), Py_EQ);
}

/* pdf_raw._paint of one subpath (shape: its operators, pts: its points as tuples) */
static int paint(const char *shape, PyObject *pts, double top_of, PyObject *rects, PyObject *lines,
                 PyObject *curves) {
    Py_ssize_t n = PyList_GET_SIZE(pts), i;
    double ax, ay, bx, by, cx, cy, dx, dy;
    if (strcmp(shape, "ml") == 0 || strcmp(shape, "mlh") == 0) {
        if (point(pts, 0, &ax, &ay) < 0 || point(pts, 1, &bx, &by) < 0) return -1;
        return append_steal(lines, box(s_line, ax, top_of - ay, bx, top_of - by, top_of));
    }
    if ((strcmp(shape, "mlllh") == 0 || strcmp(shape, "mllll") == 0) && n == 5) {
        if (point(pts, 0, &ax, &ay) < 0 || point(pts, 1, &bx, &by) < 0 || point(pts, 2, &cx, &cy) < 0 ||
            point(pts, 3, &dx, &dy) < 0)
            return -1;
        int closed = equal_points(pts, 0, 4);
        if (closed < 0) return -1;
        if (closed &&
            ((ax == bx && by == cy && cx == dx && dy == ay) || (ay == by && bx == cx && cy == dy && dx == ax)))
            return append_steal(rects, box(s_rect, ax, top_of - ay, cx, top_of - cy, top_of));
    }
    PyObject *flipped = PyList_New(n);
    if (flipped == NULL) return -1;
    struct extent e = {0, 0, 0, 0};
    for (i = 0; i < n; i++) {
        double x, y;
        if (point(pts, i, &x, &y) < 0) {
            Py_DECREF(flipped);
            return -1;
        }
        double flip = top_of - y;
        PyObject *p = PyTuple_New(2), *t = PyFloat_FromDouble(flip);
        if (p == NULL || t == NULL) {
            Py_XDECREF(p);
            Py_XDECREF(t);
            Py_DECREF(flipped);
            return -1;
        }
        PyTuple_SET_ITEM(p, 0, Py_NewRef(PyTuple_GET_ITEM(PyList_GET_ITEM(pts, i), 0)));
        PyTuple_SET_ITEM(p, 1, t);
        PyList_SET_ITEM(flipped, i, p);
        extend(&e, i, x, flip);
    }
    double x0 = e.x0, x1 = e.x1, top = e.top, bottom = e.bottom;
    PyObject *keys[11] = {k_object_type, k_x0, k_x1, k_top, k_bottom, k_doctop, k_y0, k_y1, k_width, k_height, k_pts};
    PyObject *values[11] = {Py_NewRef(s_curve), PyFloat_FromDouble(x0), PyFloat_FromDouble(x1),
                            PyFloat_FromDouble(top), PyFloat_FromDouble(bottom), PyFloat_FromDouble(top),
                            PyFloat_FromDouble(top_of - bottom), PyFloat_FromDouble(top_of - top),
                            PyFloat_FromDouble(x1 - x0), PyFloat_FromDouble(bottom - top), flipped};
    return append_steal(curves, dict_of(keys, values, 11));
}

/* the end of a subpath: pdf_raw._subpaths's clip test and closing fix, then paint() */
static int finish(char *shape, size_t len, PyObject *pts, const double *clip, double top_of, double slack,
                  PyObject *rects, PyObject *lines, PyObject *curves) {
    if (clip != NULL) {
        int out = outside(clip, pts, top_of, slack);
        if (out) return out < 0 ? -1 : 0;
    }
    Py_ssize_t n = PyList_GET_SIZE(pts);
    /* pdfium closes a path with a segment back to its start and a close flag; pdfminer sees that segment and then h,
     * and drops the segment when it ends on the start point */
    if (len > 3 && shape[len - 2] == 'l' && shape[len - 1] == 'h' && n >= 2) {
        int same = equal_points(pts, n - 2, 0);
        if (same < 0) return -1;
        if (same) {
            shape[len - 2] = 'h';
            shape[len - 1] = '\0';
            if (PyList_SetSlice(pts, n - 2, n - 1, NULL) < 0) return -1;
        }
    }
    return paint(shape, pts, top_of, rects, lines, curves);
}

/* the path of n points at `at` (pdf_raw._POINT's layout: POINT_LAYOUT) drawn with matrix m, clipped to clip (NULL:
 * not clipped): pdf_raw._subpaths's loop, painting into the lists given; 0, or -1 with an exception set */
static int paint_path(const unsigned char *at, Py_ssize_t n, const double *m, const double *clip, double top_of,
                      PyObject *rounded, PyObject *rects, PyObject *lines, PyObject *curves, long move, long line,
                      double slack) {
    /* a subpath's operators: m, then l, c or h per segment kept (two for a closing one) */
    char *shape = PyMem_Malloc((size_t)(2 * n + 2));
    size_t len = 0;
    PyObject *pts = NULL;
    int bezier = 0;
    Py_ssize_t i;
    if (shape == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < n; i++, at += POINT_SIZE) {
        float fx, fy;
        memcpy(&fx, at, 4);
        memcpy(&fy, at + 4, 4);
        long kind = at[8];
        int closes = at[9];
        double px = fx, py = fy;
        if (kind == move || pts == NULL) {
            bezier = 0;
        } else if (kind != line) {
            bezier += 1;
            if (bezier % 3) continue;
        }
        PyObject *x = rounded_get(rounded, (m[0] * px + m[2] * py) + m[4]);
        PyObject *y = x ? rounded_get(rounded, (m[1] * px + m[3] * py) + m[5]) : NULL;
        PyObject *pt = y ? PyTuple_Pack(2, x, y) : NULL;
        Py_XDECREF(x);
        Py_XDECREF(y);
        if (pt == NULL) goto fail;
        if (kind == move || pts == NULL) {
            if (pts != NULL) {
                shape[len] = '\0';
                int rc = finish(shape, len, pts, clip, top_of, slack, rects, lines, curves);
                Py_CLEAR(pts);
                if (rc < 0) {
                    Py_DECREF(pt);
                    goto fail;
                }
            }
            pts = PyList_New(0);
            len = 0;
            shape[len++] = 'm';
            if (pts == NULL || append_steal(pts, pt) < 0) goto fail;
        } else {
            shape[len++] = kind == line ? 'l' : 'c';
            if (append_steal(pts, pt) < 0) goto fail;
            if (closes) {
                shape[len++] = 'h';
                if (PyList_Append(pts, PyList_GET_ITEM(pts, 0)) < 0) goto fail;
            }
        }
    }
    if (pts != NULL) {
        shape[len] = '\0';
        int rc = finish(shape, len, pts, clip, top_of, slack, rects, lines, curves);
        Py_CLEAR(pts);
        if (rc < 0) goto fail;
    }
    PyMem_Free(shape);
    return 0;

fail:
    Py_XDECREF(pts);
    PyMem_Free(shape);
    return -1;
}

/* the doubles of a tuple of n numbers; -1 with an exception set where it is not one */
static int doubles(PyObject *tuple, double *out, Py_ssize_t n, const char *what) {
    if (!PyTuple_Check(tuple) || PyTuple_GET_SIZE(tuple) != n) {
        PyErr_Format(PyExc_TypeError, "%s: a tuple of %zd numbers expected", what, n);
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) out[k] = PyFloat_AsDouble(PyTuple_GET_ITEM(tuple, k));
    return PyErr_Occurred() ? -1 : 0;
}

/* subpaths(data, product, clip, top_of, rounded, rects, lines, curves, move, line, slack) -> None
 *
 * pdf_raw._subpaths on the points of a path as pdf_raw._POINT packs them (POINT_LAYOUT: x, y as C floats, the segment
 * type and the close flag as bytes, two bytes of padding), drawn with the matrix product (6 numbers) and clipped to
 * the box clip (4 numbers, or None), each point rounded by rounded (pdf_raw._Rounded); the lines, rectangles and
 * curves painted are appended to the lists given. move and line are the segment types of a move and a line (any
 * other is a curve's: pdfium gives a c operator as three segments, of which pdfminer keeps the end point). */
static PyObject *subpaths(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 11) {
        PyErr_SetString(PyExc_TypeError, "subpaths() takes 11 arguments");
        return NULL;
    }
    PyObject *clip_obj = args[2], *rounded = args[4], *rects = args[5], *lines = args[6], *curves = args[7];
    double m[6], clip[4], top_of = PyFloat_AsDouble(args[3]), slack = PyFloat_AsDouble(args[10]);
    long move = PyLong_AsLong(args[8]), line = PyLong_AsLong(args[9]);
    int has_clip = clip_obj != Py_None;
    if (PyErr_Occurred() || doubles(args[1], m, 6, "subpaths(): the matrix") < 0 ||
        (has_clip && doubles(clip_obj, clip, 4, "subpaths(): the clip box") < 0))
        return NULL;
    if (!PyDict_Check(rounded) || !PyList_Check(rects) || !PyList_Check(lines) || !PyList_Check(curves)) {
        PyErr_SetString(PyExc_TypeError, "subpaths(): a dict of rounded values and three lists expected");
        return NULL;
    }
    Py_buffer data;
    if (PyObject_GetBuffer(args[0], &data, PyBUF_SIMPLE) < 0) return NULL;
    int rc = -1;
    if (data.len % POINT_SIZE)
        PyErr_SetString(PyExc_TypeError, "subpaths(): points of " POINT_LAYOUT " expected");
    else
        rc = paint_path(data.buf, data.len / POINT_SIZE, m, has_clip ? clip : NULL, top_of, rounded, rects, lines,
                        curves, move, line, slack);
    PyBuffer_Release(&data);
    if (rc < 0) return NULL;
    Py_RETURN_NONE;
}

typedef void *(*object_fn)(void *, int);
typedef int (*count_fn)(void *);
typedef void *(*segment_fn)(void *, int);
typedef int (*color_fn)(void *, unsigned int *, unsigned int *, unsigned int *, unsigned int *);

/* the box (4 doubles) of clipping state `state` under the walk's matrix: boxes[state], made by clip_box(address)
 * where not met yet (None kept too); 0 without a box, 1 with one, -1 with an exception set */
static int clip_of(PyObject *boxes, PyObject *clip_box, unsigned long long state, uintptr_t address, double *out,
                   PyObject **box_out) {
    PyObject *key = PyLong_FromUnsignedLongLong(state);
    if (key == NULL) return -1;
    PyObject *box = PyDict_GetItemWithError(boxes, key);
    if (box == NULL) {
        if (PyErr_Occurred()) {
            Py_DECREF(key);
            return -1;
        }
        PyObject *at = PyLong_FromVoidPtr((void *)address);
        PyObject *made = at ? PyObject_CallOneArg(clip_box, at) : NULL;
        Py_XDECREF(at);
        int rc = made ? PyDict_SetItem(boxes, key, made) : -1;
        Py_XDECREF(made);
        box = rc < 0 ? NULL : PyDict_GetItemWithError(boxes, key);
        if (box == NULL) {
            Py_DECREF(key);
            return -1;
        }
    }
    Py_DECREF(key);
    *box_out = box;  /* borrowed: boxes keeps it */
    if (box == Py_None) return 0;
    return doubles(box, out, 4, "walk(): a clip box") < 0 ? -1 : 1;
}

static int call_int(PyObject *fn, uintptr_t address, long *out) {
    PyObject *at = PyLong_FromVoidPtr((void *)address);
    PyObject *r = at ? PyObject_CallOneArg(fn, at) : NULL;
    Py_XDECREF(at);
    if (r == NULL) return -1;
    *out = r == Py_None ? 0 : PyLong_AsLong(r);
    Py_DECREF(r);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* walk(owner, count, get, vtables, reach, offsets, functions, ctm, top_of, placed, boxes, clip_box, unplaced, other,
 *      rounded, rects, lines, curves, clipped, move, line, slack) -> number of objects read
 *
 * pdf_raw._walk over the `count` objects of `owner` (a page or form's address; get: the address of pdfium's
 * FPDFPage_GetObject or FPDFFormObj_GetObject) placed with ctm (6 numbers) on a page of height top_of: an object whose
 * first word is vtables[0] is a text object, vtables[1] a path (pdf_raw._KINDS; only below the address `reach`);
 * offsets: where an object holds its clipping state and bounds (4 floats), and a path its stroke flag, fill type and
 * matrix (6 floats) (pdf_raw._OBJECT_HEAD, pdf_raw._PATH_HEAD); functions: the addresses of FPDFPath_CountSegments,
 * FPDFPath_GetPathSegment and FPDFPageObj_GetFillColor. A text object reaching outside its clip box by more than
 * slack is appended to clipped as pdf_raw._walk does; one not in the set placed is given to unplaced(address). A
 * path not filled white (or unseen) is painted as subpaths() paints. Any other object is other(address)'s, which
 * gives the objects it read (forms opened, objects read by pdfium's API). boxes: the clip boxes by state under ctm,
 * made by clip_box(address) where not met. */
static PyObject *walk(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 22) {
        PyErr_SetString(PyExc_TypeError, "walk() takes 22 arguments");
        return NULL;
    }
    void *owner = PyLong_AsVoidPtr(args[0]);
    Py_ssize_t count = PyLong_AsSsize_t(args[1]);
    object_fn get = (object_fn)PyLong_AsVoidPtr(args[2]);
    uintptr_t reach = (uintptr_t)PyLong_AsVoidPtr(args[4]);
    double top_of = PyFloat_AsDouble(args[8]), slack = PyFloat_AsDouble(args[21]);
    long move = PyLong_AsLong(args[19]), line = PyLong_AsLong(args[20]);
    PyObject *vtables = args[3], *offsets = args[5], *functions = args[6], *placed = args[9], *boxes = args[10];
    PyObject *clip_box = args[11], *unplaced = args[12], *other = args[13], *rounded = args[14];
    PyObject *rects = args[15], *lines = args[16], *curves = args[17], *clipped = args[18];
    if (PyErr_Occurred()) return NULL;
    double ctm[6];
    if (doubles(args[7], ctm, 6, "walk(): the matrix") < 0) return NULL;
    if (!PyTuple_Check(vtables) || PyTuple_GET_SIZE(vtables) != 2 || !PyTuple_Check(offsets) ||
        PyTuple_GET_SIZE(offsets) != 5 || !PyTuple_Check(functions) || PyTuple_GET_SIZE(functions) != 3 ||
        !PyAnySet_Check(placed) || !PyDict_Check(boxes) || !PyDict_Check(rounded) || !PyList_Check(rects) ||
        !PyList_Check(lines) || !PyList_Check(curves) || !PyList_Check(clipped) || get == NULL) {
        PyErr_SetString(PyExc_TypeError, "walk(): unexpected arguments");
        return NULL;
    }
    unsigned long long text_vt = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(vtables, 0));
    unsigned long long path_vt = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(vtables, 1));
    Py_ssize_t at[5];
    for (int k = 0; k < 5; k++) at[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(offsets, k));
    count_fn segments = (count_fn)PyLong_AsVoidPtr(PyTuple_GET_ITEM(functions, 0));
    segment_fn segment = (segment_fn)PyLong_AsVoidPtr(PyTuple_GET_ITEM(functions, 1));
    color_fn fill_color = (color_fn)PyLong_AsVoidPtr(PyTuple_GET_ITEM(functions, 2));
    if (PyErr_Occurred()) return NULL;
    if (segments == NULL || segment == NULL || fill_color == NULL) {
        PyErr_SetString(PyExc_ValueError, "walk(): no address of pdfium's functions");
        return NULL;
    }
    Py_ssize_t state_at = at[0], bounds_at = at[1], stroke_at = at[2], fill_at = at[3], matrix_at = at[4];
    double a = ctm[0], b = ctm[1], c = ctm[2], d = ctm[3], e = ctm[4], f = ctm[5];
    long objects = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        uintptr_t address = (uintptr_t)get(owner, (int)i);
        if (!address) continue;  /* pdf_raw._walk: no object, not counted */
        unsigned long long vt = 0;
        if (address < reach) memcpy(&vt, (const void *)address, sizeof vt);
        if (address < reach && vt == text_vt) {
            objects++;
            unsigned long long state;
            memcpy(&state, (const char *)address + state_at, sizeof state);
            if (state) {
                double box[4];
                PyObject *box_obj;
                int has = clip_of(boxes, clip_box, state, address, box, &box_obj);
                if (has < 0) return NULL;
                if (has) {
                    float bounds[4];
                    memcpy(bounds, (const char *)address + bounds_at, sizeof bounds);
                    double left = bounds[0], bottom = bounds[1], right = bounds[2], top = bounds[3];
                    double ax = (a * left + c * bottom) + e, ay = (b * left + d * bottom) + f;
                    double bx = (a * right + c * top) + e, by = (b * right + d * top) + f;
                    double x0 = bx < ax ? bx : ax, x1 = bx > ax ? bx : ax;
                    double low = by < ay ? by : ay, high = by > ay ? by : ay;
                    if (x0 < box[0] - slack || top_of - high < box[1] - slack || x1 > box[2] + slack ||
                        top_of - low > box[3] + slack) {
                        PyObject *item = Py_BuildValue("((dddd)O)", x0, top_of - high, x1, top_of - low, box_obj);
                        if (append_steal(clipped, item) < 0) return NULL;
                    }
                }
            }
            PyObject *key = PyLong_FromVoidPtr((void *)address);
            int in = key ? PySet_Contains(placed, key) : -1;
            Py_XDECREF(key);
            if (in < 0) return NULL;
            if (!in) {
                long ignored;
                if (call_int(unplaced, address, &ignored) < 0) return NULL;
            }
            continue;
        }
        if (address < reach && vt == path_vt) {
            objects++;
            unsigned char stroke = *((const unsigned char *)address + stroke_at);
            unsigned char fill = *((const unsigned char *)address + fill_at);
            if (!stroke && fill) {
                unsigned int r, g, bl, al;
                if (fill_color((void *)address, &r, &g, &bl, &al) && (al == 0 || (r == g && g == bl && bl == 255)))
                    continue;  /* filled white (or fully transparent) and not stroked: not drawn on white paper */
            }
            unsigned long long state;
            memcpy(&state, (const char *)address + state_at, sizeof state);
            double box[4];
            int has = 0;
            if (state) {
                PyObject *box_obj;
                has = clip_of(boxes, clip_box, state, address, box, &box_obj);
                if (has < 0) return NULL;
            }
            /* pdf_raw._mult(matrix, ctm), in its order */
            float mf[6];
            memcpy(mf, (const char *)address + matrix_at, sizeof mf);
            double m0 = mf[0], m1 = mf[1], m2 = mf[2], m3 = mf[3], m4 = mf[4], m5 = mf[5];
            double product[6] = {m0 * a + m1 * c, m0 * b + m1 * d, m2 * a + m3 * c, m2 * b + m3 * d,
                                 (m4 * a + m5 * c) + e, (m4 * b + m5 * d) + f};
            int n = segments((void *)address);
            if (n <= 0) continue;
            const unsigned char *first = segment((void *)address, 0);
            if (first == NULL) {  /* its points not at one address: the path read by pdfium's API (other: _path) */
                long ignored;
                if (call_int(other, address, &ignored) < 0) return NULL;
                continue;
            }
            if (paint_path(first, n, product, has ? box : NULL, top_of, rounded, rects, lines, curves, move, line,
                           slack) < 0)
                return NULL;
            continue;
        }
        long read;
        if (call_int(other, address, &read) < 0) return NULL;
        objects += read;
    }
    return PyLong_FromLong(objects);
}

static PyMethodDef methods[] = {
    {"chars", (PyCFunction)(void (*)(void))chars, METH_FASTCALL, "pdf_raw._chars's loop (see the module's source)."},
    {"subpaths", (PyCFunction)(void (*)(void))subpaths, METH_FASTCALL,
     "pdf_raw._subpaths's loop (see the module's source)."},
    {"walk", (PyCFunction)(void (*)(void))walk, METH_FASTCALL, "pdf_raw._walk's loop (see the module's source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_speedups",
    "The per-character, per-object and per-segment loops of budgetkg.etl.pdf_raw, compiled.", -1, methods, NULL, NULL,
    NULL, NULL};

PyMODINIT_FUNC PyInit__speedups(void) {
    PyObject **names[] = {&k_text, &k_x0, &k_x1, &k_top, &k_bottom, &k_doctop, &k_size, &k_upright, &k_object_type,
                          &k_y0, &k_y1, &k_width, &k_height, &k_pts, &s_line, &s_rect, &s_curve};
    const char *texts[] = {"text", "x0", "x1", "top", "bottom", "doctop", "size", "upright", "object_type",
                           "y0", "y1", "width", "height", "pts", "line", "rect", "curve"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((*names[i] = PyUnicode_InternFromString(texts[i])) == NULL) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddStringConstant(m, "POINT_LAYOUT", POINT_LAYOUT) < 0) Py_CLEAR(m);
    return m;
}
