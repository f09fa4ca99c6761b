// Entry point of the compute process (utilityProcess in the app, child_process.fork elsewhere).
import { runComputeProcess } from './computeRuntime';
import { jobRegistry } from './jobRegistry';

runComputeProcess(jobRegistry);
