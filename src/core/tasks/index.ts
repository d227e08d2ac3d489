/**
 * Tasks with phases and spawn rules (docs/tasks.md): the pieces the desktop core and the
 * coordinator compose.
 */
export { createDesktopTasks } from './desktop-tasks.js';
export type { DesktopTasks, DesktopTasksOptions, TaskCallName } from './desktop-tasks.js';
export { TaskService } from './task-service.js';
export type { TaskSend, TaskServiceOptions } from './task-service.js';
export { TaskStore } from './task-store.js';
export { SpawnController } from './spawn-controller.js';
export type { SpawnControllerOptions, SpawnTrace } from './spawn-controller.js';
export { advance } from './phase-machine.js';
export type { TaskEvent } from './phase-machine.js';
