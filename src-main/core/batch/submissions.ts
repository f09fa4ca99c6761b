// slurm/submissions.jsonl: one line per `batch submit` (job id and the tasks it ran), so status
// can ask Slurm about the right jobs and --retry-failed knows what was submitted before.
// Read like every journal of the job folder: validated line by line, a torn last line ignored.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { slurmDir } from './jobFolder';

export const SubmissionSchema = z.object({
  jobId: z.string().regex(/^\d+$/),
  tasks: z.array(z.number().int().nonnegative()).min(1),
  script: z.string(),
  at: z.string(),
});
export type Submission = z.infer<typeof SubmissionSchema>;

export function submissionsPath(jobDir: string): string {
  return path.join(slurmDir(jobDir), 'submissions.jsonl');
}

export async function readSubmissions(jobDir: string): Promise<Submission[]> {
  let text: string;
  try {
    text = await readFile(submissionsPath(jobDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new Error(`${submissionsPath(jobDir)}, line ${i + 1}: not JSON`);
      }
      const parsed = SubmissionSchema.safeParse(json);
      if (!parsed.success) throw new Error(`${submissionsPath(jobDir)}, line ${i + 1}: not a submission record`);
      return parsed.data;
    });
}

export async function recordSubmission(jobDir: string, s: Submission): Promise<void> {
  await mkdir(slurmDir(jobDir), { recursive: true });
  await appendFile(submissionsPath(jobDir), JSON.stringify(s) + '\n');
}

/** The job id that last ran each task (a retry supersedes the first submission). */
export function latestJobOfTask(subs: readonly Submission[]): Map<number, string> {
  const latest = new Map<number, string>();
  for (const s of subs) for (const t of s.tasks) latest.set(t, s.jobId);
  return latest;
}
