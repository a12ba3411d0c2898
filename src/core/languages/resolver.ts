/** How a language turns a {@link ProjectRef} into a function of the workspace. */
import type { ProjectRef } from '../facts';

/** A function's id across the workspace: `path#Qualified.name`. */
export type FunctionId = string;

export function functionId(path: string, name: string): FunctionId {
  return `${path}#${name}`;
}

export interface ModuleResolver {
  /** The function a call from `fromPath` refers to, if it is a project function. */
  resolve(fromPath: string, ref: ProjectRef): FunctionId | undefined;
}
