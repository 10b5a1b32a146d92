// Checks the loopback GCS test server with Google's own Node.js client (@google-cloud/storage),
// authenticating with authorized-user credentials (a refresh token) through the server's token
// endpoint, then reads back an object that hparams uploaded and compares its bytes. (The
// library's service-account flow always posts to oauth2.googleapis.com, so it cannot be
// pointed at a loopback token endpoint.)
//   node gcs_client_check.js PORT AUTHORIZED_USER_JSON BUCKET HPARAMS_OBJECT EXPECTED_FILE
//                            EMULATOR_PORT
// Resumable uploads go to the emulator-mode server: the library's resumable path sends no
// token to a custom endpoint.
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const { Storage } = require('@google-cloud/storage')
const { UserRefreshClient } = require('google-auth-library')

async function main() {
  const [port, userFile, bucketName, hparamsObject, expectedFile, emulatorPort] =
    process.argv.slice(2)
  const user = JSON.parse(fs.readFileSync(userFile, 'utf8'))
  const authClient = new UserRefreshClient({
    clientId: user.client_id,
    clientSecret: user.client_secret,
    refreshToken: user.refresh_token,
    endpoints: { oauth2TokenUrl: user.token_uri },
  })
  const storage = new Storage({
    apiEndpoint: `http://127.0.0.1:${port}`,
    authClient,
    projectId: 'hparams-test',
    useAuthWithCustomEndpoint: true, // a real OAuth flow against the server's token endpoint
  })
  const bucket = storage.bucket(bucketName)
  const emulator = new Storage({ apiEndpoint: `http://127.0.0.1:${emulatorPort}`, projectId: 'x' })
  const checks = []

  // Multipart and resumable uploads, read back with the client's own hash validation.
  const content = Buffer.from('[run]\r\nname = node ✓\nlr = 3e-4\n' + 'x'.repeat(5000))
  for (const resumable of [false, true]) {
    const where = resumable ? emulator.bucket(bucketName) : bucket
    const file = where.file(`node/check-${resumable ? 'resumable' : 'multipart'}.cfg`)
    await file.save(content, { resumable, contentType: 'text/plain', validation: 'crc32c' })
    const [back] = await file.download({ validation: true })
    assert.deepEqual(back, content)
    const [meta] = await file.getMetadata()
    assert.equal(meta.md5Hash, crypto.createHash('md5').update(content).digest('base64'))
    assert.equal(Number(meta.size), content.length)
    checks.push(`${resumable ? 'resumable' : 'multipart'} upload, download (hash-validated), metadata`)
  }

  // ifGenerationMatch: 0 on an existing object is refused with 412.
  const existing = bucket.file('node/check-multipart.cfg')
  await assert.rejects(
    existing.save(Buffer.from('other'), { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
    (e) => e.code === 412,
  )
  checks.push('ifGenerationMatch precondition (412)')

  // Missing objects are 404.
  const [exists] = await bucket.file('node/none.cfg').exists()
  assert.equal(exists, false)
  checks.push('absent object (404)')

  // What hparams uploaded is what the local file holds, byte for byte.
  const [uploaded] = await bucket.file(hparamsObject).download({ validation: true })
  assert.deepEqual(uploaded, fs.readFileSync(expectedFile))
  checks.push(`hparams' upload ${hparamsObject} read back identical (${uploaded.length} bytes)`)

  console.log(`@google-cloud/storage: ${checks.length} checks passed:\n  ${checks.join('\n  ')}`)
}

main().catch((e) => {
  console.error(`@google-cloud/storage check failed: ${e.stack || e}`)
  process.exit(1)
})
