import { ServiceError } from '../errors';
import type { MfaDeviceRecord, Tag } from './model';
import { IamOperationTable, reader, writer } from './operation';
import { paginate, pageFields } from './pagination';
import { alreadyExists, deleteConflict, IamState, limitExceeded, noSuchEntity } from './store';
import { tagsParam } from './tags';
import { subjectUser } from './accessKeys';
import { userFields } from './users';
import { checkName, checkPath } from './validation';

const MAX_MFA_PER_USER = 8;

export function createVirtualMfaDevice(iam: IamState, name: string, path?: string, tags: readonly Tag[] = []): MfaDeviceRecord {
  checkName('virtualMFADeviceName', name, 226);
  const devicePath = checkPath('path', path);
  const serialNumber = `arn:aws:iam::${iam.accountId}:mfa${devicePath}${name}`;
  if (iam.mfaDevices.has(serialNumber)) throw alreadyExists('MFADevice entity at the same path and name already exists.');
  const device: MfaDeviceRecord = {
    serialNumber,
    virtual: true,
    base32Seed: iam.ids.base32(64),
    createDate: iam.now(),
    tags: [...tags],
  };
  iam.mfaDevices.set(serialNumber, device);
  return device;
}

export function enableMfaDevice(iam: IamState, userName: string, serialNumber: string, enableDate?: Date): void {
  const user = iam.requireUser(userName);
  const device = iam.mfaDevices.get(serialNumber);
  if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
  if (device.userKey !== undefined) throw alreadyExists('MFA Device is already in use.');
  const key = user.name.toLowerCase();
  let assigned = 0;
  for (const d of iam.mfaDevices.values()) if (d.userKey === key) assigned++;
  if (assigned >= MAX_MFA_PER_USER) throw limitExceeded(`Cannot exceed quota for MFADevicesPerUser: ${MAX_MFA_PER_USER}`);
  device.userKey = key;
  device.enableDate = enableDate ?? iam.now();
}

function checkAuthenticationCode(code: string): void {
  if (!/^\d{6}$/.test(code)) throw new ServiceError('InvalidAuthenticationCode', 'Authentication code for device is not valid.', 403);
}

export const mfaOperations: IamOperationTable = {
  CreateVirtualMFADevice: writer((iam, p) => {
    const device = createVirtualMfaDevice(iam, p.required('VirtualMFADeviceName'), p.optional('Path'), tagsParam(p));
    return {
      VirtualMFADevice: {
        SerialNumber: device.serialNumber,
        Base32StringSeed: Buffer.from(device.base32Seed).toString('base64'),
        // A placeholder: no real QR image is rendered.
        QRCodePNG: Buffer.from(`otpauth://totp/${device.serialNumber}`).toString('base64'),
        Tags: device.tags.length > 0 ? device.tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined,
      },
    };
  }),
  EnableMFADevice: writer((iam, p) => {
    checkAuthenticationCode(p.required('AuthenticationCode1'));
    checkAuthenticationCode(p.required('AuthenticationCode2'));
    enableMfaDevice(iam, p.required('UserName'), p.required('SerialNumber'));
    return undefined;
  }),
  DeactivateMFADevice: writer((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const serialNumber = p.required('SerialNumber');
    const device = iam.mfaDevices.get(serialNumber);
    if (!device || device.userKey !== user.name.toLowerCase()) {
      throw noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`);
    }
    device.userKey = undefined;
    device.enableDate = undefined;
    return undefined;
  }),
  ListMFADevices: reader((iam, p, ctx) => {
    const user = subjectUser(iam, p, ctx);
    const key = user.name.toLowerCase();
    const devices = [...iam.mfaDevices.values()]
      .filter((d) => d.userKey === key)
      .sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : 1));
    const page = paginate(devices, (d) => d.serialNumber, p);
    return {
      MFADevices: page.items.map((d) => ({ UserName: user.name, SerialNumber: d.serialNumber, EnableDate: d.enableDate })),
      ...pageFields(page),
    };
  }),
  ListVirtualMFADevices: reader((iam, p) => {
    const status = p.optional('AssignmentStatus') ?? 'Any';
    if (status !== 'Assigned' && status !== 'Unassigned' && status !== 'Any') {
      throw new ServiceError('ValidationError', `Invalid AssignmentStatus ${status}`, 400);
    }
    const devices = [...iam.mfaDevices.values()]
      .filter((d) => d.virtual)
      .filter((d) => status === 'Any' || (status === 'Assigned') === (d.userKey !== undefined))
      .sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : 1));
    const page = paginate(devices, (d) => d.serialNumber, p);
    return {
      VirtualMFADevices: page.items.map((d) => {
        const user = d.userKey === undefined ? undefined : iam.users.get(d.userKey);
        return {
          SerialNumber: d.serialNumber,
          User: user ? userFields(user, false) : undefined,
          EnableDate: d.enableDate,
          Tags: d.tags.length > 0 ? d.tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined,
        };
      }),
      ...pageFields(page),
    };
  }),
  DeleteVirtualMFADevice: writer((iam, p) => {
    const serialNumber = p.required('SerialNumber');
    const device = iam.mfaDevices.get(serialNumber);
    if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
    if (device.userKey !== undefined) throw deleteConflict('MFA VirtualDevice in use. Must deactivate first.');
    iam.mfaDevices.delete(serialNumber);
    return undefined;
  }),
};
