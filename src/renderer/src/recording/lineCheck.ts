import { splitBlock, type LineBlock, type LinesChecked } from '../../../shared/lineReader'
import { checkRecordingLine } from '../../../shared/recordingFormat'

const ALL_FINE: LinesChecked = { failure: null, tornLastLine: false }

/**
 * Checks every line of a recording as its blocks are read (JSON, then the header's or the event's zod schema, as
 * RecordingIndexer checks them), so that the reading worker does it beside the indexing worker's folding: the checks
 * were about a third of the indexing worker's time. Each block goes on marked checked; the block holding the first
 * bad line ends just before it, says what is wrong, and is the last one.
 */
export async function* checkLineBlocks(blocks: AsyncIterable<LineBlock>): AsyncGenerator<LineBlock> {
  let lineNumber = 0
  let first = true
  for await (const block of blocks) {
    const { texts } = splitBlock(block)
    for (let index = 0; index < texts.length; index++) {
      lineNumber += 1
      const text = texts[index] as string
      if (text.trim() === '') continue
      const checked = checkRecordingLine(text, first)
      first = false
      if (checked.kind !== 'bad') continue
      const torn = checked.notJson && block.unterminatedLast && index === texts.length - 1
      yield {
        ...before(block, index),
        checked: torn
          ? { failure: null, tornLastLine: true }
          : { failure: { line: lineNumber, problem: checked.problem }, tornLastLine: false }
      }
      return
    }
    yield { ...block, checked: ALL_FINE }
  }
}

/** The block's lines before line `index` of it. */
function before(block: LineBlock, index: number): LineBlock {
  const cut = index < block.starts.length ? (block.starts[index] as number) : block.end
  return {
    bytes: block.bytes.subarray(0, block.bytes.length - (block.end - cut)),
    starts: block.starts.subarray(0, index),
    end: cut,
    unterminatedLast: false
  }
}
