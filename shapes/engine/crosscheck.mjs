// Validate RDF data with the budgetkg shapes using shacl-engine (rdf-ext), an independent
// SHACL engine, and print its results as JSON, for cross-checking pyshacl.
//
//   node crosscheck.mjs --shapes a.ttl,b.ttl --data doc.nt [--shape IRI]... [--repeat N]
//
// Output: {"conforms": bool, "results": [{"focus", "shape", "severity", "value", "path"}], "ms": [..]}
// "shape" is the sh:sourceShape (an IRI, or "_:" for a blank node shape); ms are the wall times
// of each run (the first includes the engine's warm-up). SPARQL-based constraints run through
// shacl-engine's SPARQL plugin (Comunica).
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import rdf from 'rdf-ext'
import { Parser } from 'n3'
import { Validator } from 'shacl-engine'
import { validations } from 'shacl-engine/sparql.js'

function parseArgs (argv) {
  const args = { shapes: [], data: [], shape: [], repeat: 1 }
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '')
    const value = argv[i + 1]
    if (key === 'repeat') args.repeat = Number(value)
    else args[key].push(...value.split(','))
  }
  return args
}

function load (files) {
  const dataset = rdf.dataset()
  for (const file of files) {
    const format = file.endsWith('.nt') ? 'N-Triples' : 'Turtle'
    const parser = new Parser({ format })
    for (const q of parser.parse(readFileSync(file, 'utf8'))) {
      dataset.add(rdf.quad(q.subject, q.predicate, q.object))
    }
  }
  return dataset
}

function term (t) {
  if (!t) return null
  if (t.termType === 'BlankNode') return '_:'
  return t.value
}

async function main () {
  const args = parseArgs(process.argv.slice(2))
  const shapes = load(args.shapes)
  const data = load(args.data)
  const validator = new Validator(shapes, { factory: rdf, validations })
  const only = args.shape.length ? args.shape.map(s => ({ terms: [rdf.namedNode(s)] })) : undefined
  const ms = []
  let report
  for (let i = 0; i < args.repeat; i++) {
    const t0 = performance.now()
    report = await validator.validate({ dataset: data }, only)
    ms.push(performance.now() - t0)
  }
  const results = report.results.map(r => ({
    focus: term(r.focusNode && r.focusNode.term),
    shape: term(r.shape && r.shape.ptr ? r.shape.ptr.term : r.sourceShape),
    severity: term(r.severity),
    value: term(r.value && r.value.term),
    path: r.path && r.path.length === 1 && r.path[0].predicates.length === 1 ? r.path[0].predicates[0].value : null
  }))
  process.stdout.write(JSON.stringify({ conforms: report.conforms, results, ms }) + '\n')
}

main().catch(err => {
  process.stderr.write(String(err && err.stack || err) + '\n')
  process.exit(2)
})
