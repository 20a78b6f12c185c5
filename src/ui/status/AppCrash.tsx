import { Component, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { isUnreachable } from '../../app/offline.ts'

function CrashMessage({ error }: { error: Error }) {
  const { t } = useTranslation()
  return (
    <main className="app-crash">
      <p className="notice failed" role="alert">
        {isUnreachable(error)
          ? t('status.crashedOffline')
          : t('status.crashed', { message: error.message })}
      </p>
      <button type="button" onClick={() => window.location.reload()}>
        {t('status.reloadPage')}
      </button>
    </main>
  )
}

/**
 * The last line before a blank page: a render that throws (a lazily loaded part that could not
 * be downloaded, or a bug) shows what happened and a way back, in the learner's language.
 */
export class AppCrash extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null }

  static getDerivedStateFromError(error: Error) {
    return { error }
  }

  override render() {
    return this.state.error ? <CrashMessage error={this.state.error} /> : this.props.children
  }
}
