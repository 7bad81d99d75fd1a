export declare const INSTALL_ELECTRON: string;
export declare function electronPackageDir(from?: string): string | null;
export declare function installedElectron(packageDir: string): string | null;
