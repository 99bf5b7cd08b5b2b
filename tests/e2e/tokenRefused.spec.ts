import { expect, test } from '@playwright/test'
import { startInspector, type InspectorServer } from 'session-inspector/playwright'

const TOKEN_A = 'a'.repeat(40)
const TOKEN_B = 'b'.repeat(40)

const servers: InspectorServer[] = []
async function start(options: Parameters<typeof startInspector>[0]): Promise<InspectorServer> {
  const server = await startInspector(options)
  servers.push(server)
  return server
}
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()))
})

test('the page without its token, or with a wrong one, is a 401 page that says so', async ({ page }) => {
  const server = await start({ token: TOKEN_A })
  for (const url of [
    `http://127.0.0.1:${server.port}/`,
    `http://127.0.0.1:${server.port}/?token=${TOKEN_B}`,
    `http://127.0.0.1:${server.port}/index.html?token=`
  ]) {
    const response = await page.goto(url)
    expect(response?.status()).toBe(401)
    await expect(page.getByTestId('token-refused')).toContainText('Wrong or missing token')
    await expect(page.getByTestId('app-shell')).toHaveCount(0)
  }
  const response = await page.goto(server.url)
  expect(response?.status()).toBe(200)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'open')
})

test('an open tab whose server came back with another token says so and stops reconnecting', async ({
  page
}) => {
  const first = await start({ token: TOKEN_A })
  await page.goto(first.url)
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'open')
  await first.stop()
  await expect(page.getByTestId('connection-status')).not.toHaveAttribute('data-status', 'open')

  const second = await start({ port: first.port, token: TOKEN_B })
  const status = page.getByTestId('connection-status')
  await expect(status).toHaveAttribute('data-status', 'refused', { timeout: 20_000 })
  const banner = page.getByTestId('disconnect-banner')
  await expect(banner).toHaveAttribute('data-status', 'refused')
  await expect(banner.getByTestId('token-refused')).toHaveText('Wrong token.')
  await expect(banner).toContainText('Open the URL it printed')
  await expect(banner).not.toContainText('Reconnecting')

  // The URL the new server printed works.
  await page.goto(second.url)
  await expect(status).toHaveAttribute('data-status', 'open')
})

test('a tab whose server came back with the same token reconnects', async ({ page }) => {
  const first = await start({ token: TOKEN_A })
  await page.goto(first.url)
  const status = page.getByTestId('connection-status')
  await expect(status).toHaveAttribute('data-status', 'open')
  await first.stop()
  await expect(status).not.toHaveAttribute('data-status', 'open')
  await start({ port: first.port, token: TOKEN_A })
  await expect(status).toHaveAttribute('data-status', 'open', { timeout: 20_000 })
  await expect(page.getByTestId('disconnect-banner')).toHaveCount(0)
})
