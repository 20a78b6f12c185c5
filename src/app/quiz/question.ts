/**
 * The predict-the-next-hop quiz, as plain data: a question shown at step N asks what step N+1
 * will show. Choices carry their value (a place, an address, a rule line ...) so that the screen
 * can draw them where they belong and a test can check each against the trace.
 */
import type { Location, Lookup, Phase } from '../../model/trace.ts'
import type { Text } from '../../model/text.ts'

export type QuestionKind =
  /** Where does the packet go next? (a box on the graph) */
  | 'where'
  /** What is the destination (or source) address and port after the next step? */
  | 'address'
  /** Which rule matches? (a line of the tables panel) */
  | 'rule'
  /** Is the packet encapsulated, and in what? */
  | 'encap'
  /** Does the source get masqueraded? */
  | 'masquerade'
  /** Is it delivered (and with which source), dropped or rejected? */
  | 'fate'
  /** Who answers the ARP request? */
  | 'arp'
  /** What does DNS answer? */
  | 'dns'

export type EncapChoice = 'none' | 'vxlan' | 'ipip'

export type ChoiceValue =
  /** A box: `at` names exactly one (src/ui/graph/locate.ts finds it). */
  | { kind: 'place'; key: string; at: Location }
  | { kind: 'address'; field: 'src' | 'dst'; ip: string; port: number | null }
  | { kind: 'rule'; table: string; rule: string }
  | { kind: 'encap'; encap: EncapChoice; vni: number | null; port: number | null }
  /** The new source address, or null: the source is left as it is. */
  | { kind: 'masquerade'; to: string | null }
  /** `source`: the source address the receiver sees (delivered only; null: not asked). */
  | { kind: 'fate'; fate: 'delivered' | 'dropped' | 'rejected'; source: string | null }
  /** The MAC address in the ARP reply, or null: nobody answers. */
  | { kind: 'mac'; mac: string | null }
  /** The DNS status and the records' data (`A 10.96.0.10`, `CNAME example.com.`). */
  | { kind: 'dns'; status: 'NOERROR' | 'NXDOMAIN'; records: string[] }

export interface Choice {
  /** Unique within its question. */
  id: string
  label: Text
  value: ChoiceValue
}

/** What a learner reads after a wrong answer: the step's own narration and the rules it used. */
export interface Why {
  /** The right answer, then the narration of the step it is about. */
  text: Text
  /** The lines that decided that step (its matched lookups). */
  rules: Pick<Lookup, 'table' | 'rule'>[]
}

export interface Question {
  /** Stable for a trace: `N:kind`. */
  id: string
  kind: QuestionKind
  /** Position of the step the question is shown at. */
  step: number
  /** Position of the step that answers it (step + 1). */
  reveals: number
  phase: Phase
  prompt: Text
  /** In a seeded order; exactly one is right. */
  choices: Choice[]
  /** The id of the right choice. */
  answer: string
  why: Why
}

export interface Quiz {
  traffic: string
  seed: number
  questions: Question[]
}
