import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '@xyflow/react/dist/style.css'
import './styles.css'
import { App } from './App'
import { createConnection } from './client/createConnection'

const root = document.getElementById('root')
if (root === null) throw new Error('index.html must contain <div id="root">; the inspector mounts there.')

// One connection for the page's lifetime: created outside React so StrictMode's double effects cannot open two.
const connection = createConnection()

createRoot(root).render(
  <StrictMode>
    <App connection={connection} />
  </StrictMode>
)
