// Bundled at build time: the example file for the sample backend, as its text, so the form starts from it.
import exampleText from '../../../../../examples/plain-json.target.json?raw'

export const EXAMPLE_TARGET_TEXT: string = exampleText
export const EXAMPLE_TARGET_NAME = 'plain-json.target.json'
