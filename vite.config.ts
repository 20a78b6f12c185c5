import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  // src/app/worker-client.ts starts src/sim/worker.ts as a module worker.
  worker: { format: 'es' },
  build: { target: 'es2022' },
})
