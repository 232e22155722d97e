// The layering of src/ (docs/architecture.md), enforced by `npm test` (test/architecture.test.ts).
// Top to bottom: a folder may import folders of lower layers only, never one above it nor a sibling in its own
// layer. Every relative import counts, type-only imports included. No file may sit in an import cycle.
const LAYERS = [
  ['cli'],
  ['http', 'simulate'],
  ['app'],
  ['drills'],
  ['reports', 'history', 'scenarios'],
  ['notify', 'intake', 'downtime', 'tasks', 'auth', 'publicity'],
  ['people'],
  ['incidents'],
  ['obligations', 'grading'],
  ['signals'],
  ['plan'],
  ['storage'],
  ['config'],
  ['events', 'log', 'shared'],
];

const folder = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(0, i).flat();
  return layer.flatMap((name) => {
    const rules = [];
    if (above.length) {
      rules.push({
        name: `${name}-imports-upward`,
        comment: `src/${name} sits below ${above.join(', ')} (docs/architecture.md): it may not import them`,
        severity: 'error',
        from: { path: `^src/${name}/` },
        to: { path: folder(above) },
      });
    }
    const siblings = layer.filter((n) => n !== name);
    if (siblings.length) {
      rules.push({
        name: `${name}-imports-sibling`,
        comment: `src/${name} and ${siblings.join(', ')} share a layer: they talk through the layers below or the composition root`,
        severity: 'error',
        from: { path: `^src/${name}/` },
        to: { path: folder(siblings) },
      });
    }
    return rules;
  });
});

const known = LAYERS.flat();

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'modules depend one way: no file may import itself back through others (type-only imports count)',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'folder-not-layered',
      comment: `every top-level folder of src/ has a place in the layers of .dependency-cruiser.cjs (known: ${known.join(', ')})`,
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: [folder(known)] },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', '/fixtures/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
