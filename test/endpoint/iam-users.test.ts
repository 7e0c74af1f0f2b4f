import {
  CreateUserCommand,
  DeleteUserCommand,
  GetUserCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  paginateListUsers,
  TagUserCommand,
  UntagUserCommand,
  UpdateUserCommand,
  User,
} from '@aws-sdk/client-iam';
import { failureOf, useIamEndpoint } from './helpers';

describe('IAM users over the Query protocol', () => {
  const ctx = useIamEndpoint();

  test('GIVEN a new user WHEN created and read back THEN ids, ARN with path and tags are AWS-shaped', async () => {
    const created = await ctx.iam.send(
      new CreateUserCommand({ UserName: 'Carol', Path: '/team/', Tags: [{ Key: 'owner', Value: 'carol@example.com' }] }),
    );
    expect(created.User?.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
    expect(created.User?.Arn).toBe('arn:aws:iam::111122223333:user/team/Carol');
    const read = await ctx.iam.send(new GetUserCommand({ UserName: 'carol' }));
    expect(read.User?.UserName).toBe('Carol');
    expect(read.User?.CreateDate).toBeInstanceOf(Date);
    expect(read.User?.Tags).toEqual([{ Key: 'owner', Value: 'carol@example.com' }]);
  });

  test('GIVEN an existing user WHEN a user differing only in case is created THEN EntityAlreadyExists 409', async () => {
    await ctx.iam.send(new CreateUserCommand({ UserName: 'dave' }));
    const failure = await failureOf(ctx.iam.send(new CreateUserCommand({ UserName: 'DAVE' })));
    expect(failure).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
  });

  test('GIVEN no such user WHEN read or deleted THEN NoSuchEntity 404', async () => {
    expect(await failureOf(ctx.iam.send(new GetUserCommand({ UserName: 'ghost' })))).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
    });
    expect(await failureOf(ctx.iam.send(new DeleteUserCommand({ UserName: 'ghost' })))).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
    });
  });

  test('GIVEN an invalid name WHEN creating THEN ValidationError 400', async () => {
    const failure = await failureOf(ctx.iam.send(new CreateUserCommand({ UserName: 'bad name!' })));
    expect(failure.status).toBe(400);
    expect(failure.name).toBe('ValidationError');
  });

  test('GIVEN 25 users WHEN listed with the SDK paginator at 7 per page THEN 4 pages return each user exactly once', async () => {
    for (let i = 0; i < 25; i++) ctx.ep.state.iam.createUser({ name: `user-${String(i).padStart(2, '0')}` });
    const pages: User[][] = [];
    for await (const page of paginateListUsers({ client: ctx.iam, pageSize: 7 }, {})) pages.push(page.Users ?? []);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 4]);
    const names = pages.flat().map((u) => u.UserName);
    expect(new Set(names).size).toBe(25);
    expect(names[0]).toBe('user-00');
  });

  test('GIVEN a marker WHEN users before it are deleted between pages THEN the next page neither skips nor repeats', async () => {
    for (let i = 0; i < 6; i++) ctx.ep.state.iam.createUser({ name: `u${i}` });
    const first = await ctx.iam.send(new ListUsersCommand({ MaxItems: 3 }));
    expect(first.IsTruncated).toBe(true);
    await ctx.iam.send(new DeleteUserCommand({ UserName: 'u0' }));
    const second = await ctx.iam.send(new ListUsersCommand({ MaxItems: 3, Marker: first.Marker }));
    expect(second.Users?.map((u) => u.UserName)).toEqual(['u3', 'u4', 'u5']);
    expect(second.IsTruncated).toBe(false);
    expect(second.Marker).toBeUndefined();
  });

  test('GIVEN users on several paths WHEN listed with PathPrefix THEN only that subtree returns', async () => {
    ctx.ep.state.iam.createUser({ name: 'a', path: '/service/' });
    ctx.ep.state.iam.createUser({ name: 'b', path: '/service/batch/' });
    ctx.ep.state.iam.createUser({ name: 'c', path: '/' });
    const listed = await ctx.iam.send(new ListUsersCommand({ PathPrefix: '/service/' }));
    expect(listed.Users?.map((u) => u.UserName)).toEqual(['a', 'b']);
  });

  test('GIVEN a user in a group WHEN renamed and moved THEN ARN, path and group membership follow', async () => {
    ctx.ep.state.iam.createUser({ name: 'old' });
    ctx.ep.state.iam.createGroup('devs');
    ctx.ep.state.iam.addUserToGroup('devs', 'old');
    await ctx.iam.send(new UpdateUserCommand({ UserName: 'old', NewUserName: 'new', NewPath: '/moved/' }));
    const read = await ctx.iam.send(new GetUserCommand({ UserName: 'new' }));
    expect(read.User?.Arn).toBe('arn:aws:iam::111122223333:user/moved/new');
    expect(ctx.ep.state.iam.requireGroup('devs').members.has('new')).toBe(true);
    expect(await failureOf(ctx.iam.send(new GetUserCommand({ UserName: 'old' })))).toMatchObject({ status: 404 });
  });

  test('GIVEN a user WHEN tagged, retagged and untagged THEN ListUserTags shows the result', async () => {
    ctx.ep.state.iam.createUser({ name: 't' });
    await ctx.iam.send(
      new TagUserCommand({
        UserName: 't',
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await ctx.iam.send(new TagUserCommand({ UserName: 't', Tags: [{ Key: 'A', Value: '3' }] }));
    await ctx.iam.send(new UntagUserCommand({ UserName: 't', TagKeys: ['b'] }));
    const tags = await ctx.iam.send(new ListUserTagsCommand({ UserName: 't' }));
    expect(tags.Tags).toEqual([{ Key: 'A', Value: '3' }]);
  });

  test('GIVEN the caller is a user WHEN GetUser has no UserName THEN the caller is returned', async () => {
    ctx.ep.state.iam.createUser({ name: 'me' });
    ctx.ep.setCaller({ kind: 'user', userName: 'me' });
    const read = await ctx.iam.send(new GetUserCommand({}));
    expect(read.User?.UserName).toBe('me');
  });
});
