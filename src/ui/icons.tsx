/** The app's icons: small inline SVGs that inherit the text colour. Decorative unless labelled. */
import type { ReactNode } from 'react'

function Icon({ children, size = 20 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  )
}

export function LogoIcon() {
  return (
    <svg className="logo" width={32} height={32} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#1d4ed8" />
      <path
        d="M9 23 C 9 14, 23 18, 23 9"
        fill="none"
        stroke="#fff"
        strokeWidth="2.5"
        strokeLinecap="round"
        strokeDasharray="0.1 5"
      />
      <circle cx="9" cy="23" r="4" fill="#fff" />
      <circle cx="23" cy="9" r="4" fill="#93c5fd" stroke="#fff" strokeWidth="2" />
    </svg>
  )
}

export function GlobeIcon() {
  return (
    <Icon>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c2.5 2.8 3.8 5.8 3.8 9s-1.3 6.2-3.8 9c-2.5-2.8-3.8-5.8-3.8-9S9.5 5.8 12 3z" />
    </Icon>
  )
}

export function ClockIcon() {
  return (
    <Icon size={16}>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </Icon>
  )
}

export function CheckIcon() {
  return (
    <Icon>
      <circle cx="12" cy="12" r="9" />
      <path d="M8 12.5l2.5 2.5L16 9.5" />
    </Icon>
  )
}

export function StopIcon() {
  return (
    <Icon>
      <circle cx="12" cy="12" r="9" />
      <path d="M8 12h8" />
    </Icon>
  )
}

export function InfoIcon() {
  return (
    <Icon>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 11v6M12 7.5v.01" />
    </Icon>
  )
}

export function TerminalIcon() {
  return (
    <Icon>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M7 9l3 3-3 3M12 15h5" />
    </Icon>
  )
}

export function ArrowRightIcon() {
  return (
    <Icon size={18}>
      <path d="M5 12h14M13 6l6 6-6 6" />
    </Icon>
  )
}

export function PlayIcon() {
  return (
    <Icon>
      <path d="M7 4.5v15l12-7.5z" fill="currentColor" />
    </Icon>
  )
}

export function PauseIcon() {
  return (
    <Icon>
      <path d="M8 5v14M16 5v14" strokeWidth={3} />
    </Icon>
  )
}

export function StepBackIcon() {
  return (
    <Icon>
      <path d="M15 6l-6 6 6 6" />
    </Icon>
  )
}

export function StepForwardIcon() {
  return (
    <Icon>
      <path d="M9 6l6 6-6 6" />
    </Icon>
  )
}

export function FirstIcon() {
  return (
    <Icon>
      <path d="M17 6l-6 6 6 6M7 6v12" />
    </Icon>
  )
}

export function LastIcon() {
  return (
    <Icon>
      <path d="M7 6l6 6-6 6M17 6v12" />
    </Icon>
  )
}

/** A target: the view follows the packet. */
export function FollowIcon() {
  return (
    <Icon size={16}>
      <circle cx="12" cy="12" r="7" />
      <circle cx="12" cy="12" r="2" fill="currentColor" />
      <path d="M12 2v3M12 19v3M2 12h3M19 12h3" />
    </Icon>
  )
}

/** A file with an arrow out of it: open a file of one's own. */
export function FileUpIcon({ size = 20 }: { size?: number }) {
  return (
    <Icon size={size}>
      <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
      <path d="M14 3v5h5M12 17v-6M9.5 13.5 12 11l2.5 2.5" />
    </Icon>
  )
}

/** A sidebar with an arrow: hides or shows the lesson list. */
export function SidebarIcon() {
  return (
    <Icon size={18}>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M9 4v16" />
    </Icon>
  )
}

/** A screen on a stand: presenter mode. */
export function PresentIcon() {
  return (
    <Icon size={18}>
      <rect x="3" y="4" width="18" height="12" rx="1.5" />
      <path d="M12 16v4M8 20h8" />
    </Icon>
  )
}

/** A keyboard: the list of keys. */
export function KeyboardIcon() {
  return (
    <Icon size={18}>
      <rect x="2.5" y="6" width="19" height="12" rx="2" />
      <path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M8 14h8" />
    </Icon>
  )
}

/** A cross: close. */
export function CloseIcon() {
  return (
    <Icon size={16}>
      <path d="M6 6l12 12M18 6 6 18" />
    </Icon>
  )
}

/** A panel at the right: the drawer with the packet and the tables. */
export function DrawerIcon() {
  return (
    <Icon size={18}>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M15 4v16" />
    </Icon>
  )
}

/** Two windows: the speaker window beside the projected one. */
export function WindowsIcon() {
  return (
    <Icon size={18}>
      <rect x="3" y="7" width="13" height="11" rx="1.5" />
      <path d="M8 7V5.5A1.5 1.5 0 0 1 9.5 4h10A1.5 1.5 0 0 1 21 5.5v8a1.5 1.5 0 0 1-1.5 1.5H16" />
    </Icon>
  )
}

/** Three linked dots: share the view. */
export function ShareIcon() {
  return (
    <Icon size={18}>
      <circle cx="18" cy="5" r="2.5" />
      <circle cx="6" cy="12" r="2.5" />
      <circle cx="18" cy="19" r="2.5" />
      <path d="M8.2 10.8l7.6-4.4M8.2 13.2l7.6 4.4" />
    </Icon>
  )
}

/** A question mark in a circle: predict mode. */
export function PredictIcon() {
  return (
    <Icon size={18}>
      <circle cx="12" cy="12" r="9" />
      <path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6M12 17h.01" />
    </Icon>
  )
}

/** A circular arrow: start again. */
export function ResetIcon() {
  return (
    <Icon size={16}>
      <path d="M4 12a8 8 0 1 0 2.3-5.7M4 4v4h4" />
    </Icon>
  )
}
