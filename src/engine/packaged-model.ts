/**
 * The FER model as packaged with the extension (model.json and its weights), read through the
 * package's URLs. A missing or damaged file is an error in words for the engine's status.
 */
import type { ModelSource } from './fer/classifier';

/** Reads `dir/model.json` (parsed) and gives a reader for the files next to it. */
export async function readPackagedModel(url: (path: string) => string, dir: string): Promise<ModelSource> {
  const read = async (name: string) => {
    let res: Response;
    try {
      res = await fetch(url(`${dir}/${name}`));
    } catch {
      throw new Error(`the model file ${dir}/${name} could not be read from the package`);
    }
    if (!res.ok) throw new Error(`the model file ${dir}/${name} is missing from the package (${res.status})`);
    return res.arrayBuffer();
  };
  const text = new TextDecoder().decode(await read('model.json'));
  try {
    return { manifest: JSON.parse(text) as unknown, readFile: read };
  } catch {
    throw new Error(`the model file ${dir}/model.json is damaged (not JSON)`);
  }
}
