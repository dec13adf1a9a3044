/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: {
		// Type checking is `tsc --noEmit`'s job: each file is transpiled on its own, which saves every
		// worker from building the whole program first.
		'^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true } }],
	},
	setupFiles: ['<rootDir>/test/helpers/environment.ts'],
	testTimeout: 60_000,
	// Most workflow tests wait on the simulator (rate-limit windows, timeouts, polling), not on the CPU:
	// three workers on CI's two cores finish sooner than jest's default of one.
	maxWorkers: 3,
};
