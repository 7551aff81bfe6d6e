// Package programs holds Pulumi programs, written against the engine's resource monitor the way
// the Node/Python SDKs register resources (v7 camelCase inputs, JSON-string IAM documents,
// providers with JSON-encoded non-string inputs, components, property dependencies), one per
// seed system in a failing and a fixed variant, plus the expectations the pack must meet.
package programs

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/aws-guard-c/e2e/harness"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/providers"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// Ctx is a running program: a thin, SDK-like layer over deploytest.ResourceMonitor.
type Ctx struct {
	mon        *deploytest.ResourceMonitor
	Project    string
	Stack      string
	DryRun     bool
	stack      *Res
	components []*Res
	exports    map[string]any
	config     map[string]string
}

// Config reads stack configuration ("project:key"), like pulumi.Config().get.
func (c *Ctx) Config(key, def string) string {
	if v, ok := c.config[key]; ok {
		return v
	}
	return def
}

// Res is a registered resource.
type Res struct {
	URN     resource.URN
	ID      resource.ID
	Type    tokens.Type
	Name    string
	Outputs resource.PropertyMap
	ref     string // provider reference, for provider resources
}

// Opt is a resource option.
type Opt func(*deploytest.ResourceOptions)

// Parent sets the parent (component) of a resource.
func Parent(r *Res) Opt { return func(o *deploytest.ResourceOptions) { o.Parent = r.URN } }

// Provider sets an explicit provider. A nil provider means "the default provider", which is
// how `provider=provider if region != "us-east-1" else None` ends up.
func Provider(p *Res) Opt {
	return func(o *deploytest.ResourceOptions) {
		if p != nil {
			o.Provider = p.ref
		}
	}
}

// DependsOn adds explicit dependencies.
func DependsOn(rs ...*Res) Opt {
	return func(o *deploytest.ResourceOptions) {
		for _, r := range rs {
			o.Dependencies = append(o.Dependencies, r.URN)
		}
	}
}

// Protect marks the resource protected.
func Protect() Opt { return func(o *deploytest.ResourceOptions) { t := true; o.Protect = &t } }

// outRef is an Output of another resource used as an input (creates a property dependency).
type outRef struct {
	r   *Res
	key string
}

// Out returns a reference to an output property ("id" is the resource ID).
func (r *Res) Out(key string) any { return outRef{r, key} }

// applied is Output.apply / pulumi.interpolate over outputs: unknown while any input is.
type applied struct {
	f    func(vs ...any) any
	refs []outRef
}

// Apply combines outputs like `pulumi.Output.all(a, b).apply(f)`.
func Apply(f func(vs ...any) any, refs ...any) any {
	a := applied{f: f}
	for _, r := range refs {
		a.refs = append(a.refs, r.(outRef))
	}
	return a
}

// Sprintf is `pulumi.interpolate` / f-string inside apply.
func Sprintf(format string, refs ...any) any {
	return Apply(func(vs ...any) any { return fmt.Sprintf(format, vs...) }, refs...)
}

// JSONApply builds a JSON document from outputs (`Output.all(...).apply(json.dumps)`).
func JSONApply(f func(vs ...any) any, refs ...any) any {
	return Apply(func(vs ...any) any { return JSON(f(vs...)) }, refs...)
}

type secretVal struct{ v any }

// Secret marks a value secret.
func Secret(v any) any { return secretVal{v} }

// JSON encodes v the way json.dumps / JSON.stringify would (IAM documents, provider inputs).
func JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Archive is a Lambda code archive (pulumi.AssetArchive with inline files).
func Archive(files map[string]string) any {
	assets := map[string]any{}
	for name, text := range files {
		a, err := resource.NewTextAsset(text)
		if err != nil {
			panic(err)
		}
		assets[name] = a
	}
	arch, err := resource.NewAssetArchive(assets)
	if err != nil {
		panic(err)
	}
	return arch
}

type progErr struct{ err error }

// Program wraps a program body as a deploytest.ProgramFunc: it registers the stack resource
// first, runs the body, then registers component and stack outputs. A failed registration (a
// resource made invalid by a mandatory policy during `up`) ends the program with that error.
func Program(project, stack string, body func(*Ctx)) deploytest.ProgramFunc {
	return func(info plugin.RunInfo, mon *deploytest.ResourceMonitor) (err error) {
		c := &Ctx{mon: mon, Project: project, Stack: stack, DryRun: info.DryRun, exports: map[string]any{},
			config: map[string]string{}}
		for k, v := range info.Config {
			c.config[k.String()] = v
		}
		defer func() {
			if r := recover(); r != nil {
				pe, ok := r.(progErr)
				if !ok {
					panic(r)
				}
				err = pe.err
			}
		}()
		st, e := mon.RegisterResource(resource.RootStackType, project+"-"+stack, false)
		if e != nil {
			return e
		}
		c.stack = &Res{URN: st.URN, Type: resource.RootStackType, Name: project + "-" + stack}
		body(c)
		for _, comp := range c.components {
			if e := mon.RegisterResourceOutputs(comp.URN, resource.PropertyMap{}); e != nil {
				return e
			}
		}
		outs, _ := c.resolveMap(c.exports)
		return mon.RegisterResourceOutputs(c.stack.URN, outs)
	}
}

func (c *Ctx) fail(err error) { panic(progErr{err}) }

// Export adds a stack output (pulumi.export).
func (c *Ctx) Export(name string, v any) { c.exports[name] = v }

// Component registers a component resource (pulumi.ComponentResource).
func (c *Ctx) Component(typ, name string, opts ...Opt) *Res {
	r := c.register(tokens.Type(typ), name, false, nil, opts)
	c.components = append(c.components, r)
	return r
}

// AWSProvider registers an explicit `aws.Provider`. Non-string inputs must already be JSON text,
// as the SDKs send them (use JSON(...) for defaultTags, assumeRoles, booleans).
func (c *Ctx) AWSProvider(name string, inputs map[string]any, opts ...Opt) *Res {
	r := c.register(providers.MakeProviderType("aws"), name, true, inputs, opts)
	ref, err := providers.NewReference(r.URN, r.ID)
	if err != nil {
		c.fail(err)
	}
	r.ref = ref.String()
	return r
}

// Resource registers a custom aws resource (type token as in the schema, e.g.
// "aws:lambda/function:Function").
func (c *Ctx) Resource(typ, name string, inputs map[string]any, opts ...Opt) *Res {
	return c.register(tokens.Type(typ), name, true, inputs, opts)
}

func (c *Ctx) register(t tokens.Type, name string, custom bool, inputs map[string]any, opts []Opt) *Res {
	o := deploytest.ResourceOptions{Parent: c.stack.URN}
	if custom {
		o.Version = harness.AWSVersion
	}
	for _, f := range opts {
		f(&o)
	}
	props, deps := c.resolveMap(inputs)
	o.Inputs = props
	if len(deps) > 0 {
		o.PropertyDeps = map[resource.PropertyKey][]resource.URN{}
		seen := map[resource.URN]bool{}
		for _, u := range o.Dependencies {
			seen[u] = true
		}
		for k, us := range deps {
			o.PropertyDeps[k] = us
			for _, u := range us {
				if !seen[u] {
					seen[u] = true
					o.Dependencies = append(o.Dependencies, u)
				}
			}
		}
	}
	resp, err := c.mon.RegisterResource(t, name, custom, o)
	if err != nil {
		c.fail(fmt.Errorf("registering %s %q: %w", t, name, err))
	}
	return &Res{URN: resp.URN, ID: resp.ID, Type: t, Name: name, Outputs: resp.Outputs}
}

// resolveMap turns program values into a property map plus the property dependencies.
func (c *Ctx) resolveMap(m map[string]any) (resource.PropertyMap, map[resource.PropertyKey][]resource.URN) {
	props := resource.PropertyMap{}
	deps := map[resource.PropertyKey][]resource.URN{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var ds []resource.URN
		props[resource.PropertyKey(k)] = c.resolve(m[k], &ds)
		if len(ds) > 0 {
			deps[resource.PropertyKey(k)] = uniq(ds)
		}
	}
	return props, deps
}

func uniq(us []resource.URN) []resource.URN {
	seen := map[resource.URN]bool{}
	var out []resource.URN
	for _, u := range us {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

var unknown = resource.MakeComputed(resource.NewProperty(""))

func (r outRef) value() resource.PropertyValue {
	if r.key == "id" {
		if r.r.ID == "" || r.r.ID == providers.UnknownID {
			return unknown
		}
		return resource.NewProperty(string(r.r.ID))
	}
	if v, ok := r.r.Outputs[resource.PropertyKey(r.key)]; ok {
		return v
	}
	return unknown
}

func (c *Ctx) resolve(v any, deps *[]resource.URN) resource.PropertyValue {
	switch t := v.(type) {
	case outRef:
		*deps = append(*deps, t.r.URN)
		return t.value()
	case applied:
		var args []any
		isUnknown := false
		for _, r := range t.refs {
			*deps = append(*deps, r.r.URN)
			pv := r.value()
			if pv.IsSecret() {
				pv = pv.SecretValue().Element
			}
			if pv.ContainsUnknowns() {
				isUnknown = true
				continue
			}
			args = append(args, pv.Mappable())
		}
		if isUnknown {
			return unknown
		}
		return c.resolve(t.f(args...), deps)
	case secretVal:
		return resource.MakeSecret(c.resolve(t.v, deps))
	case map[string]any:
		pm := resource.PropertyMap{}
		for k, e := range t {
			pm[resource.PropertyKey(k)] = c.resolve(e, deps)
		}
		return resource.NewProperty(pm)
	case []any:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			arr[i] = c.resolve(e, deps)
		}
		return resource.NewProperty(arr)
	case []string:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			arr[i] = resource.NewProperty(e)
		}
		return resource.NewProperty(arr)
	case []map[string]any:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			arr[i] = c.resolve(e, deps)
		}
		return resource.NewProperty(arr)
	default:
		return resource.NewPropertyValue(v)
	}
}
