// Annotation files as other tools write them: CSV through Python's csv module (its quoting and
// \r\n line ends), JSON through Python's json module. Never through the project's own writers.
import { execFileSync } from 'node:child_process';

const SCRIPT = `
import csv, json, sys
job = json.load(sys.stdin)
if job['kind'] == 'csv':
    with open(job['file'], 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, delimiter=job.get('delimiter', ','))
        for row in job['rows']:
            w.writerow(row)
else:
    with open(job['file'], 'w', encoding='utf-8') as f:
        json.dump(job['doc'], f, indent=job.get('indent'))
`;

function python(job: object): void {
  execFileSync('/usr/bin/python3', ['-c', SCRIPT], { input: JSON.stringify(job) });
}

/** Writes rows with csv.writer (numbers as Python prints them). */
export function writeCsvWithPython(file: string, rows: ReadonlyArray<ReadonlyArray<string | number>>, delimiter = ','): void {
  python({ kind: 'csv', file, rows, delimiter });
}

/** Writes a document with json.dump (QuPath and our export write the same JSON). */
export function writeJsonWithPython(file: string, doc: unknown, indent?: number): void {
  python({ kind: 'json', file, doc, ...(indent === undefined ? {} : { indent }) });
}
