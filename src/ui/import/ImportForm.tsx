import { useId, useState, type DragEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { openScenario } from '../../app/session.ts'
import { FileUpIcon } from '../icons.tsx'
import { readScenarioFile } from './read-scenario-file.ts'
import './import.css'

/** The name diagnostics give pasted text: it has no file name of its own. */
export const PASTED_FILE = 'pasted.yaml'

/**
 * Three ways to open one's own scenario: drop a file, choose one, or paste its text. The text is
 * handed to the engine in this tab (src/app/session.ts openScenario); nothing is uploaded.
 */
export function ImportForm({ onOpen }: { onOpen?: () => void }) {
  const { t } = useTranslation()
  const id = useId()
  const [pasted, setPasted] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [over, setOver] = useState(false)

  const open = (name: string, text: string) => {
    setProblem(null)
    onOpen?.()
    void openScenario(name, text)
  }

  const openFile = async (file: File | undefined) => {
    if (!file) return
    const r = await readScenarioFile(file)
    if (r.ok) open(r.name, r.text)
    else setProblem(t(`import.${r.problem}`, { ...r }))
  }

  const drop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    void openFile(e.dataTransfer.files[0])
  }

  return (
    <div className="import-form">
      <div
        className={over ? 'drop-zone over' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault()
          e.dataTransfer.dropEffect = 'copy'
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <FileUpIcon size={28} />
        <span>{t('import.drop')}</span>
        <label className="choose-file">
          <input
            type="file"
            accept=".yaml,.yml,.txt,application/yaml,text/yaml,text/plain"
            className="visually-hidden"
            onChange={(e) => {
              void openFile(e.currentTarget.files?.[0])
              // Choosing the same file again (after editing it) opens it again.
              e.currentTarget.value = ''
            }}
          />
          {t('import.choose')}
        </label>
      </div>
      {problem && (
        <p className="import-problem" role="alert">
          {problem}
        </p>
      )}
      <label htmlFor={`${id}-paste`} className="import-paste-label">
        {t('import.paste')}
      </label>
      <textarea
        id={`${id}-paste`}
        className="import-paste"
        rows={6}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        value={pasted}
        onChange={(e) => setPasted(e.target.value)}
        placeholder={'apiVersion: podpath.dev/v1alpha1\nkind: Cluster\n…'}
        lang="en"
      />
      <button
        type="button"
        className="button primary"
        disabled={pasted.trim() === ''}
        onClick={() => open(PASTED_FILE, pasted)}
      >
        {t('import.openPasted')}
      </button>
      <p className="import-private">{t('import.private')}</p>
    </div>
  )
}
