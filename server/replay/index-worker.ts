/** The index worker thread: builds one .tlog's seek index (index-build.ts) and says when it is done. */
import { answerWorkerJob } from "../flights";
import { buildIndex } from "./index-build";
import type { IndexBuildRequest } from "./index-build";

answerWorkerJob((request: IndexBuildRequest) => buildIndex(request));
