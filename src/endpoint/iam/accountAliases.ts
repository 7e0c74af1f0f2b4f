import { IamOperationTable, reader } from './operation';
import { paginate, pageFields } from './pagination';

/** ListAccountAliases: the account's alias (at most one in IAM), paginated like every IAM list. */
export const accountAliasOperations: IamOperationTable = {
  ListAccountAliases: reader((iam, p) => {
    const page = paginate(iam.accountAlias === undefined ? [] : [iam.accountAlias], (alias) => alias, p);
    return { AccountAliases: page.items, ...pageFields(page) };
  }),
};
