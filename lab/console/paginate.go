package console

import (
	"context"
	"fmt"
	"reflect"
	"time"
)

// The AWS CLI pages through list operations by itself and prints one
// merged result without the paging members (NextMarker, Truncated, …).
// The console does the same, generically: an operation is paged when its
// input has a token member and its output returns one.
var (
	inputTokens  = []string{"NextToken", "Marker"}
	outputTokens = map[string][]string{"NextToken": {"NextToken"}, "Marker": {"NextMarker", "Marker"}}
	truncFlags   = []string{"Truncated", "IsTruncated"}
)

// maxPages bounds a paged call, so a misbehaving endpoint cannot loop it.
const maxPages = 100

// call runs the operation, following pages unless noPaginate.
func (c *Console) call(ctx context.Context, client any, inv *Invocation, noPaginate bool) (any, time.Duration, error) {
	in := reflect.ValueOf(inv.Input).Elem()
	var inTok reflect.Value
	var outNames []string
	for _, n := range inputTokens {
		if f := in.FieldByName(n); f.IsValid() && f.Type() == reflect.TypeOf((*string)(nil)) {
			inTok, outNames = f, outputTokens[n]
			break
		}
	}
	var (
		merged  map[string]any
		elapsed time.Duration
	)
	for page := 0; ; page++ {
		start := time.Now()
		res := inv.Op.method.Func.Call([]reflect.Value{reflect.ValueOf(client), reflect.ValueOf(ctx), reflect.ValueOf(inv.Input)})
		elapsed += time.Since(start)
		if e, _ := res[1].Interface().(error); e != nil {
			return nil, elapsed, e
		}
		tree, _ := toTree(res[0].Interface()).(map[string]any)
		if noPaginate || !inTok.IsValid() {
			return tree, elapsed, nil
		}
		next := ""
		for _, n := range outNames {
			if s, ok := tree[n].(string); ok && s != "" {
				next = s
			}
		}
		for _, n := range truncFlags {
			if b, ok := tree[n].(bool); ok && !b {
				next = ""
			}
		}
		for _, n := range append(append([]string{}, outNames...), truncFlags...) {
			delete(tree, n)
		}
		if merged == nil {
			merged = tree
		} else {
			for k, v := range tree {
				if l, ok := v.([]any); ok {
					if old, ok := merged[k].([]any); ok {
						merged[k] = append(old, l...)
						continue
					}
				}
				merged[k] = v
			}
		}
		if next == "" {
			return merged, elapsed, nil
		}
		if page+1 >= maxPages {
			return nil, elapsed, fmt.Errorf("stopped after %d pages: the endpoint keeps returning more", maxPages)
		}
		tok := next
		inTok.Set(reflect.ValueOf(&tok))
	}
}
