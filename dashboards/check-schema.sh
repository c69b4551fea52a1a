#!/usr/bin/env bash
# Type-checks the dashboards against Grafana's own schema: the TypeScript types @grafana/schema
# generates from Grafana's CUE definitions (the dashboard model, and the options and field config
# of the timeseries and stat panels). Each dashboard becomes a TypeScript object literal that must
# satisfy those types, so a misspelled or unknown key, a wrong type, or a missing required field
# fails. Needs node, npm and the npm registry, so it is not part of bin/test; run it after editing
# a dashboard: dashboards/check-schema.sh
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/cairn-grafana-schema.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm install --silent --ignore-scripts --no-audit --no-fund @grafana/schema@13.2.3 typescript@5 >/dev/null
files=()
for json in "$dir"/*.json; do
  name=$(basename "$json" .json)
  node - "$json" > "$name.ts" <<'JS'
const d = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const panelType = { timeseries: 'TimeSeries', stat: 'Stat' };
let out = `import type { Dashboard, Panel } from '@grafana/schema';
import type * as TimeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
// Grafana's string enums accept their string values in JSON.
type Loose<T> = T extends string ? \`\${T}\` : T extends (infer U)[] ? Loose<U>[] : T extends object ? { [K in keyof T]: Loose<T[K]> } : T;
export const dashboard = (${JSON.stringify(d, null, 2)}) satisfies Loose<Dashboard>;
`;
d.panels.forEach((p, i) => {
  const t = panelType[p.type];
  if (!t) throw new Error(`panel ${p.title}: no schema check for type ${p.type}`);
  const fc = t === 'TimeSeries' ? 'TimeSeries.FieldConfig' : 'Record<string, unknown>';
  out += `export const panel${i} = (${JSON.stringify(p)}) satisfies Loose<Panel<${t}.Options, ${fc}>>;\n`;
  // Panel's own options type has an index signature: check options and custom field config directly.
  out += `export const options${i} = (${JSON.stringify(p.options)}) satisfies Loose<${t}.Options>;\n`;
  if (t === 'TimeSeries') {
    out += `export const custom${i} = (${JSON.stringify(p.fieldConfig.defaults.custom)}) satisfies Loose<${fc}>;\n`;
  }
});
process.stdout.write(out);
JS
  files+=("\"$name.ts\"")
done
cat > tsconfig.json <<JSON
{ "compilerOptions": { "strict": true, "noEmit": true, "module": "esnext", "moduleResolution": "bundler",
  "target": "es2022", "skipLibCheck": true }, "files": [$(IFS=,; echo "${files[*]}")] }
JSON
npx --no-install tsc -p . && echo "dashboards: ${#files[@]} checked against @grafana/schema 13.2.3"
