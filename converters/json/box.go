package json

import "unsafe"

// eface is the runtime layout of an empty interface.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

var stringTypeWord = func() unsafe.Pointer {
	var x any = ""
	return (*eface)(unsafe.Pointer(&x)).typ
}()

// box returns s as an interface value whose string header lives in the
// decoder's slab instead of a separate allocation per string (what the
// runtime's own conversion would do). Slab entries are never modified
// after boxing, so the interface sees an immutable string as usual.
func (d *decoder) box(s string) any {
	if len(d.slab) == cap(d.slab) {
		return s
	}
	d.slab = append(d.slab, s)
	e := eface{typ: stringTypeWord, data: unsafe.Pointer(&d.slab[len(d.slab)-1])}
	return *(*any)(unsafe.Pointer(&e))
}
